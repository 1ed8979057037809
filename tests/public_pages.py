"""The public pages and forms a visitor can reach, with the demo data loaded
(`manage.py load_demo`): the pages every site-wide check walks."""

DEMO_MEETING = "/meetings/2019/1st-anso-working-group-meeting/"
#: The demo's upcoming meeting, open for registration.
OPEN_MEETING = "/meetings/2027/2nd-anso-working-group-meeting/"

#: Pages with a title of their own, as a visitor reaches them.
PUBLIC_PAGES = [
    "/meetings/",
    DEMO_MEETING,
    OPEN_MEETING,
    "/working-group/",
    "/members/",
    "/members/acsd/",
    "/people/jinghua-cao/",
    "/meetings/action-plan/",
    "/meetings/action-plan/anso-joint-research-programmes/",
]
FORM_PAGES = [
    "/working-group/nominate/",
    "/working-group/nominate/thanks/",
    "/working-group/nominate/resend/",
    "/working-group/nominate/confirm/not-a-token/",
    f"{OPEN_MEETING}register/",
    f"{OPEN_MEETING}register/done/",
    f"{OPEN_MEETING}register/link/",
    f"{OPEN_MEETING}registration/not-a-token/",
]
ERROR_PAGES = ["/no-such-page/"]
HOME = "/"
ALL_PAGES = [HOME, *PUBLIC_PAGES, *FORM_PAGES, *ERROR_PAGES]
