"""The curriculum (modules, quiz questions, answers), quiz attempts and certifications."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PASS_MARK_PERCENT = 80


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    body = models.TextField(_("text (Markdown)"))
    required = models.BooleanField(_("required for certification"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=PASS_MARK_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    scenario = models.TextField(_("scenario"))
    prompt = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["module", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.module.slug} #{self.order}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("answer"))
    correct = models.BooleanField(_("correct"), default=False)
    explanation = models.TextField(_("why"))

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attempts")
    # {question id: chosen answer id}, as the trainee submitted them.
    choices = models.JSONField(default=dict)
    correct_count = models.PositiveSmallIntegerField()
    question_count = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    # A retake after a fail is open once the trainee has gone through the explanations.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.module.slug} · {self.score_percent}%"


class Certification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications"
    )
    certified_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-expires_at"]

    def __str__(self) -> str:
        return f"{self.user} until {self.expires_at:%Y-%m-%d}"
