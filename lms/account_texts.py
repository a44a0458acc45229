"""Texts of allauth and of Django's password rules that the account pages and e-mails show.

They are listed here only so that `makemessages` keeps them in our catalogues: our catalogue is
read before allauth's and Django's, so its Kyrgyz is the one learners see. allauth's Kyrgyz
calls the password «купуя», the account «эсеп» and the e-mail "экат"; the site says «Сырсөз»,
«аккаунт» and «Эмейл» everywhere (and «ырастоо» for confirming). Nothing imports this module.
When allauth changes one of these texts, change it here too (tests/lms/test_account_wording.py
shows the pages in Kyrgyz).
"""

from django.utils.translation import gettext_noop, ngettext

ACCOUNT_TEXTS = (
    gettext_noop("Email"),
    gettext_noop("Forgot your password?"),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("This account is inactive."),
    gettext_noop("Account Inactive"),
    gettext_noop("Password (again)"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Password Reset"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an "
        "email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam "
        "folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Bad Token"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("Change Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Your password is now changed."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Current Password"),
    gettext_noop("Please type your current password."),
    gettext_noop("Incorrect password."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("Set Password"),
    gettext_noop("Your password has been set."),
    gettext_noop("Your password has been changed."),
    gettext_noop("Your password has been reset."),
    gettext_noop("Password Changed"),
    gettext_noop("Password Set"),
    gettext_noop("Password Reset Email"),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password "
        "reset for your user account.\n"
        "It can be safely ignored if you did not request a password reset. Click the link "
        "below to reset your password."
    ),
    gettext_noop("Enter your password:"),
    gettext_noop("Use your password"),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Confirm Access"),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email "
        "address so you can receive notifications, reset your password, etc."
    ),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize "
        "the signup process. If you do not see the verification email in your main inbox, "
        "check your spam folder. Please contact us if you do not receive the verification "
        "email within a few minutes."
    ),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address '
        "for user %(user_display)s."
    ),
    gettext_noop(
        "This email confirmation link expired or is invalid. Please <a "
        'href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    gettext_noop(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Your email address is still pending verification."),
    gettext_noop("Re-send Verification"),
    gettext_noop("Verified"),
    gettext_noop("Unverified"),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Primary email address set."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Changing to"),
    gettext_noop("Change to"),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email "
        "address to register an account on %(site_domain)s."
    ),
    gettext_noop("To confirm this is correct, go to %(activate_url)s"),
    gettext_noop("Account Already Exists"),
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\n"
        "account using email address:\n"
        "\n"
        "%(email)s\n"
        "\n"
        "However, an account using that email address already exists.  In case you have\n"
        "forgotten about this, please use the password forgotten procedure to recover\n"
        "your account:\n"
        "\n"
        "%(password_reset_url)s"
    ),
    gettext_noop("Unknown Account"),
    gettext_noop(
        "You are receiving this email because you, or someone else, tried to access an "
        "account with email %(email)s. However, we do not have any record of such an account "
        "in our database."
    ),
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
)


def _plural_texts(count: int) -> list[str]:
    """The plural ones (never called: xgettext reads the calls)."""
    return [
        ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            count,
        ),
        ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            count,
        ),
    ]
