"""Open Referral HSDS 3.0 feed at /api/hsds/ in the Finnish profile of PROFILE.md."""
