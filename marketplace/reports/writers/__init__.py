"""File writers of the reports: streamed CSV, constant-memory Excel, and PDF."""
