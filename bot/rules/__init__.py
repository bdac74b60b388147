"""The network's rules: meetings, agenda, check-ins, action items, decisions. No botbuilder here."""
