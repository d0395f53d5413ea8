from holdspace.cli import main

main()
