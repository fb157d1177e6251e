"""JSON API v1 (see README, API section): the same services as the pages, under /api/v1."""
