"""Choices shared by screening and training, kept free of heavy imports."""

# Fewer words than this is a chat line, not a post. The model's `concern` and `high` thresholds
# were chosen on Reddit posts; on a chat line it may only raise `concern`, at the `short_concern`
# threshold chosen on everyday short messages (RISK_MODEL_CARD.md has the measurements).
CHAT_MAX_WORDS = 50
# Share of everyday short messages the `short_concern` threshold lets through.
SHORT_CHAT_FLAGGED = 0.03
