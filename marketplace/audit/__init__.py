"""The audit trail: who did what to which object, written by every domain's services."""
