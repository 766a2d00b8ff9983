"""`invoke diffusion`: each new release of an institution posted once to its Telegram channel,
Mastodon account and Bluesky account (registry « diffusion »), from the published build."""
