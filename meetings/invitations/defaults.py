"""The composer's starting text, in English and in Chinese; the Secretariat edits it before
sending. The Chinese text is written with its own (full-width) punctuation."""

# ruff: noqa: RUF001

from .models import MailingKind


def default_templates(kind: str) -> dict[str, str]:
    """The composer's starting text, in both languages; the Secretariat edits it."""
    if kind == MailingKind.INVITATION:
        return {
            "subject_en": "Invitation: {meeting}, {dates}",
            "body_en": (
                "Dear {name},\n\n"
                "The ANSO Secretariat has the pleasure of inviting you to the {meeting}, "
                "{dates}, at {venue}.\n\n"
                "Please register, or tell us that you cannot come, through your personal "
                "link:\n{link}\n\n"
                "The form is already filled in with what we know about you.\n\n"
                "With best regards,\nThe ANSO Secretariat"
            ),
            "subject_zh_hans": "邀请：{meeting}，{dates}",
            "body_zh_hans": (
                "尊敬的{name}：\n\n"
                "ANSO秘书处诚挚邀请您出席{meeting}（{dates}，{venue}）。\n\n"
                "请通过您的专属链接注册，或告知我们您无法出席：\n{link}\n\n"
                "表格已预先填写我们所知的信息。\n\n"
                "此致\nANSO秘书处"
            ),
        }
    return {
        "subject_en": "",
        "body_en": "Dear {name},\n\n",
        "subject_zh_hans": "",
        "body_zh_hans": "",
    }
