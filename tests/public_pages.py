"""The public pages and forms a visitor can reach, with the demo data loaded
(`manage.py load_demo`): the pages every site-wide check walks."""

#: Public pages carry the language in their path; these are the English ones.
EN = "/en"
DEMO_MEETING = f"{EN}/meetings/2019/1st-anso-working-group-meeting/"
#: The demo's upcoming meeting, open for registration.
OPEN_MEETING = f"{EN}/meetings/2027/2nd-anso-working-group-meeting/"

#: Pages with a title of their own, as a visitor reaches them.
PUBLIC_PAGES = [
    f"{EN}/meetings/",
    DEMO_MEETING,
    OPEN_MEETING,
    f"{EN}/working-group/",
    f"{EN}/members/",
    f"{EN}/members/acsd/",
    f"{EN}/people/jinghua-cao/",
    f"{EN}/meetings/action-plan/",
    f"{EN}/meetings/action-plan/anso-joint-research-programmes/",
]
FORM_PAGES = [
    f"{EN}/working-group/nominate/",
    f"{EN}/working-group/nominate/thanks/",
    f"{EN}/working-group/nominate/resend/",
    f"{EN}/working-group/nominate/confirm/not-a-token/",
    f"{OPEN_MEETING}register/",
    f"{OPEN_MEETING}register/done/",
    f"{OPEN_MEETING}register/link/",
    f"{OPEN_MEETING}registration/not-a-token/",
    f"{EN}/sign-in/",
    f"{EN}/sign-in/link/?sesame=not-a-token",
]
#: A page that is not there, and a paper's verification page for a reference never issued.
ERROR_PAGES = [f"{EN}/no-such-page/", f"{EN}/papers/ANSO-2019-WG1-C-0404/"]
HOME = f"{EN}/"
ALL_PAGES = [HOME, *PUBLIC_PAGES, *FORM_PAGES, *ERROR_PAGES]
