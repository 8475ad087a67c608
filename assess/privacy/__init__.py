"""Personal-data duties (个人信息保护法): the privacy notice an account agrees to, an
enterprise's data exported as one archive, and an enterprise's account closed."""

# The date of the privacy notice in force (templates/privacy/notice.html); an account records
# the one it agreed to. A new notice gets a new date.
NOTICE_VERSION = "2026-12-06"
