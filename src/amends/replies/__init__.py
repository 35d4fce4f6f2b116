"""Replies: drafts that follow HEART, fitted to the channel, and the checker that scores any
reply against docs/reply-rules.md. Pure: facts in, text and findings out, no database."""
