"""Accounts: organisations, users, passwords, registration and approval, password reset.

The functions live in the submodules below; they are re-exported here so callers write
`from marketplace.accounts import services` or `from marketplace.accounts.services import X`.
"""
from marketplace.accounts.services.addresses import (addresses_of, can_manage_addresses,
                                                     delete_address, own_address, save_address)
from marketplace.accounts.services.organizations import (ADMIN_KINDS, EDITABLE_FIELDS,
                                                         admin_create_organization,
                                                         create_organization,
                                                         is_descendant,
                                                         parse_threshold, set_approval_threshold,
                                                         subordinate_units, units_below,
                                                         update_organization)
from marketplace.accounts.services.passwords import (MIN_PASSWORD_LENGTH, authenticate,
                                                     change_password, check_password,
                                                     hash_password, make_reset_token,
                                                     normalize_email, request_password_reset,
                                                     reset_password, user_for_reset_token,
                                                     validate_password)
from marketplace.accounts.services.registration import (REVIEW_ACTIONS,
                                                        change_organization_status,
                                                        register_organization,
                                                        set_organization_status)
from marketplace.accounts.services.sessions import (end_login, end_logins, purge_login_sessions,
                                                   revoke_api_tokens, start_login)
from marketplace.accounts.services.users import (EMAIL_RE, add_member, can_manage_members,
                                                 create_user, members_of, set_user_active)

__all__ = [
    "ADMIN_KINDS", "EDITABLE_FIELDS", "EMAIL_RE", "admin_create_organization", "MIN_PASSWORD_LENGTH", "REVIEW_ACTIONS",
    "add_member", "addresses_of", "authenticate", "can_manage_addresses", "can_manage_members",
    "change_organization_status",
    "change_password", "check_password", "create_organization", "create_user", "delete_address",
    "hash_password", "is_descendant", "make_reset_token", "members_of",
    "normalize_email", "own_address", "parse_threshold", "register_organization",
    "request_password_reset", "reset_password", "revoke_api_tokens",
    "start_login", "end_login", "end_logins", "purge_login_sessions",
    "save_address",
    "set_approval_threshold", "set_organization_status", "set_user_active",
    "subordinate_units", "units_below", "update_organization", "user_for_reset_token", "validate_password",
]
