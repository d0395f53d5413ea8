from django.contrib import admin

from holdspace.training.models import Answer, Module, Question


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "scenario", "prompt"]
    show_change_link = True


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "required", "pass_mark", "updated_at"]
    list_editable = ["order", "required"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 1
    fields = ["order", "text", "correct", "explanation"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "prompt"]
    list_filter = ["module"]
    inlines = [AnswerInline]
