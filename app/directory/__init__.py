"""The people and places the contact-center record refers to: teams (skill groups), queues,
contacts with their phone numbers, and agents looked up by login name."""
