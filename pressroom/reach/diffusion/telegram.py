"""Telegram: the bot posts to the channel it administers (Bot API ``sendPhoto`` with the lead photo
and a caption of at most 1,024 UTF-16 units, else ``sendMessage`` of at most 4,096)."""

from pressroom.reach.diffusion.posts import post_text, utf16_units
from pressroom.reach.diffusion.transport import NotSent, answer, call, checked_api_url

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
DEFAULT_API_URL = "https://api.telegram.org"


class Telegram:
    network = "telegram"

    def __init__(self, institution, chat, environ, client, sleep, out):
        self.chat, self.client, self.sleep, self.out = chat, client, sleep, out
        self.label = f"Telegram {chat} ({institution.acronym})"
        self.token = environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not self.token:
            raise NotSent(f"{self.label} : TELEGRAM_BOT_TOKEN absent — ce canal attend le jeton du robot")
        api = checked_api_url("TELEGRAM_API_URL", environ.get("TELEGRAM_API_URL") or DEFAULT_API_URL)
        self.base = f"{api}/bot{self.token}"

    @property
    def target(self):
        return self.chat

    @staticmethod
    def text(announcement):
        limit = CAPTION_LIMIT if announcement.photo else MESSAGE_LIMIT
        return post_text(announcement.title, announcement.summary, announcement.link, limit, utf16_units)

    offline_text = text

    def post(self, announcement):
        text = self.text(announcement)
        if announcement.photo:
            response = self.send(
                "sendPhoto",
                data={"chat_id": self.chat, "caption": text},
                files={"photo": (announcement.photo.path.name, announcement.photo.data(), "image/jpeg")},
            )
        else:
            response = self.send("sendMessage", json={"chat_id": self.chat, "text": text})
        if answer(response, self.label).get("ok") is not True:
            raise NotSent(f"{self.label} : réponse sans « ok » — nouvel essai au prochain passage")

    def send(self, method, **options):
        """The request that posts (sendPhoto, sendMessage)."""
        url = f"{self.base}/{method}"
        return call(self.client, "POST", url, self.label, self.sleep, self.out, final=True, **options)
