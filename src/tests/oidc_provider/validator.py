"""The test provider's claims: the user's e-mail address (verified unless the user's last name
is "unverified") and `amr`, the methods the person used: a password and a one-time code for
user names that start with "mfa-", a password alone for the others."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "given_name": user.first_name,
            "amr": ["pwd", "otp"] if user.username.startswith("mfa-") else ["pwd"],
        }
