"""Accounts: users who log in by mainland mobile number (password or SMS code), their roles and API tokens."""
