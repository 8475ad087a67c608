"""Personal-data duties (个人信息保护法): the privacy notice an account agrees to, an
enterprise's data exported as one archive, and an enterprise's account closed."""

# The privacy notice in force (templates/privacy/notice.html and its translations): the date it
# took effect, with ".N" for the Nth notice of one day. An account records the one it agreed to
# and is asked to read a newer one (privacy/agreement.py). Change the notice's text, and give it
# a new version here together with its digest (tests/privacy/test_notice.py says the digest).
NOTICE_VERSION = "2026-12-06.2"
NOTICE_DIGEST = "ba90d30cd8329cb002ee07a727911f9c934251d2c78f91e3ef7c2eb78ef75e49"


def notice_date(version: str) -> str:
    """The date a notice's version took effect (ISO)."""
    return version.partition(".")[0]


def notice_revision(version: str) -> int:
    """Which notice of its day a version is: 1 for a bare date, N for "date.N"."""
    _date, _dot, number = version.partition(".")
    return int(number) if number.isdigit() else 1
