"""Names and limits shared by the models and the plain-Python services (no Django import here,
so the XBlock class loads where Django is not configured, e.g. the course validator)."""

ROUND_BEFORE = "before"
ROUND_AFTER = "after"
ROUNDS = (ROUND_BEFORE, ROUND_AFTER)

STATUS_DRAFT = "draft"
STATUS_SUBMITTED = "submitted"

MIN_RATING = 1
MAX_RATING = 5

# The cohort average is shown to learners only from this many respondents on: a privacy floor,
# deliberately not a setting.
MIN_COHORT = 5

COURSE_KEY_LENGTH = 255
LEARNER_LENGTH = 128
FRAMEWORK_ID_LENGTH = 64
ITEM_CODE_LENGTH = 32
