"""Demo data: the facts of the report of the 1st ANSO Working Group Meeting (Beijing, 13-14 May
2019), completed with invented sample records where the report gives only counts, and an
upcoming 2nd meeting taking registrations.

What the report states, and the attendance records reproduce (participants: attended; a
member-organization delegate: attended as a delegate of an organization that was a member on the
meeting's date; other participants: every other participant):
  - 17 ANSO member organizations: CAS and 16 invented members, each represented by its contact
    person in the working group, who came as the organization's delegate;
  - about 30 other participants: 28 (experts, colleagues who came with their organization's
    delegate, the Secretariat, the Vice-President, the Bureau's Director General, guests);
  - more than 40 participants (45) from 14 countries and regions;
  - the working group had 22 members: a contact person for each of the 17 member organizations
    plus 5 related experts.
Everything the report does not name (the sample organizations and people, the five future
actions, most start dates) is invented and flagged with `is_sample` or "Sample data.".
"""

import datetime

from members.models import BodyKind, MembershipStatus, NameOrder, OrganizationKind, Role

from ..attendance.models import Capacity, ParticipationStatus
from ..models import ActionStatus, AgendaItemKind, SessionKind
from .records import (
    ActionRecord,
    AgendaItemRecord,
    BodyRecord,
    DecisionRecord,
    MeetingRecord,
    MinutesPartRecord,
    OrganizationRecord,
    ParticipationRecord,
    PersonRecord,
    PositionRecord,
    ProgressRecord,
    SessionRecord,
    UpcomingMeetingRecord,
)

SAMPLE = "Sample data."

#: Sample: the decision the member organizations voted on by written procedure after the 1st
#: working-group meeting (meetings/demo/votes.py).
VOTE_DECISION = (
    "To endorse the ANSO future actions (the action plan) as the working group's plan of "
    "work, by written procedure among the member organizations. Sample data."
)

GA_START = datetime.date(2018, 11, 4)
GA_END = datetime.date(2018, 11, 5)
#: The report does not date the 1st Governing Board meeting; the day after the General
#: Assembly opened is a sample value.
GB_DATE = datetime.date(2018, 11, 5)
WG_START = datetime.date(2019, 5, 13)
WG_END = datetime.date(2019, 5, 14)
#: Sample: the report does not say when the working-group members were appointed.
WG_POSITIONS_FROM = datetime.date(2019, 3, 1)
#: Member organizations joined when ANSO was launched (sample for all but CAS).
JOINED = GA_START

K = OrganizationKind
MEMBER, PARTNER = MembershipStatus.MEMBER, MembershipStatus.PARTNER


def _member(name: str, short_name: str, kind: OrganizationKind, country: str):
    return OrganizationRecord(name, short_name, kind, country, MEMBER, joined_on=JOINED)


ORGANIZATIONS = (
    OrganizationRecord(
        "Alliance of International Science Organizations",
        "ANSO",
        K.INTERNATIONAL_ORGANIZATION,
        "CN",
        MembershipStatus.NONE,
        website="http://www.anso.org.cn/",
        is_sample=False,
    ),
    OrganizationRecord(
        "Chinese Academy of Sciences",
        "CAS",
        K.ACADEMY,
        "CN",
        MEMBER,
        joined_on=JOINED,
        website="https://english.cas.cn/",
        is_sample=False,
    ),
    # A unit of CAS, not a member of the alliance in its own right.
    OrganizationRecord(
        "Bureau of International Cooperation",
        "BIC",
        K.OTHER,
        "CN",
        MembershipStatus.NONE,
        parent="CAS",
        is_sample=False,
    ),
    # The 16 invented member organizations.
    _member(
        "Indus Institute of Earth and Environmental Sciences", "IIEES", K.RESEARCH_INSTITUTE, "PK"
    ),
    _member("Potohar University of Science and Technology", "PUST", K.UNIVERSITY, "PK"),
    _member("East African Institute for Dryland Research", "EAIDR", K.RESEARCH_INSTITUTE, "KE"),
    _member("Rift Valley University of Agriculture", "RVUA", K.UNIVERSITY, "KE"),
    _member("Chao Phraya Institute of Applied Science", "CPIAS", K.RESEARCH_INSTITUTE, "TH"),
    _member("Baikal Academy of Sciences", "BAS", K.ACADEMY, "RU"),
    _member(
        "Zhetysu Institute of Ecology and Water Resources", "ZIEWR", K.RESEARCH_INSTITUTE, "KZ"
    ),
    _member("Serendib Agency for Science and Technology", "SAST", K.GOVERNMENT_AGENCY, "LK"),
    _member("Himalayan Centre for Mountain Science", "HCMS", K.RESEARCH_INSTITUTE, "NP"),
    _member("Ganges Delta University of Engineering", "GDUE", K.UNIVERSITY, "BD"),
    _member("Mediterranean Institute for Climate Studies", "MICS", K.RESEARCH_INSTITUTE, "IT"),
    _member(
        "Pan-Amazonian Network for Biodiversity Research",
        "PANBR",
        K.INTERNATIONAL_ORGANIZATION,
        "BR",
    ),
    _member("Volta Academy of Sciences", "VAS", K.ACADEMY, "GH"),
    _member("Khangai Institute of Geology", "KIG", K.RESEARCH_INSTITUTE, "MN"),
    _member("Victoria Harbour University of Science", "VHUS", K.UNIVERSITY, "HK"),
    _member("Tianshan Institute of Arid Land Ecology", "TIALE", K.RESEARCH_INSTITUTE, "CN"),
    # Partners and others whose people came as guests (invented).
    OrganizationRecord(
        "Asia-Pacific Network for Sustainable Agriculture",
        "APNSA",
        K.INTERNATIONAL_ORGANIZATION,
        "TH",
        PARTNER,
    ),
    OrganizationRecord(
        "Eurasian Foundation for Science Cooperation", "EFSC", K.OTHER, "KZ", PARTNER
    ),
    OrganizationRecord(
        "Savanna Network of Young Scientists", "SNYS", K.INTERNATIONAL_ORGANIZATION, "GH", PARTNER
    ),
    OrganizationRecord(
        "Adriatic Centre for Science Diplomacy",
        "ACSD",
        K.RESEARCH_INSTITUTE,
        "IT",
        MembershipStatus.OBSERVER,
    ),
    OrganizationRecord("Silk Road Science Weekly", "SRSW", K.OTHER, "CN", MembershipStatus.NONE),
    OrganizationRecord(
        "Cape Institute of Marine Science", "CIMS", K.RESEARCH_INSTITUTE, "ZA", PARTNER
    ),
    OrganizationRecord(
        "Rhine Institute for Polar Research", "RIPR", K.RESEARCH_INSTITUTE, "DE", PARTNER
    ),
)

BODIES = (
    BodyRecord("ANSO", BodyKind.GENERAL_ASSEMBLY, "ANSO General Assembly"),
    BodyRecord("ANSO", BodyKind.GOVERNING_BOARD, "ANSO Governing Board"),
    BodyRecord("ANSO", BodyKind.SECRETARIAT, "ANSO Secretariat"),
    BodyRecord("ANSO", BodyKind.WORKING_GROUP, "ANSO Working Group"),
)


def _person(slug, honorific, given_name, family_name, organization, country, *, family_first=False):
    """A sample person; `family_first` for names written family name first."""
    order = NameOrder.FAMILY_FIRST if family_first else NameOrder.GIVEN_FIRST
    return PersonRecord(
        slug, honorific, given_name, family_name, organization, country, name_order=order
    )


#: The people the report names.
NAMED_PEOPLE = (
    PersonRecord("ailikun", "Prof.", "", "Ailikun", "ANSO", "CN", is_sample=False),
    PersonRecord("qasim-jan", "Prof.", "Qasim", "Jan", "ANSO", "PK", is_sample=False),
    PersonRecord("yin-li", "Prof.", "Yin", "LI", "BIC", "CN", is_sample=False),
    PersonRecord("jinghua-cao", "Prof.", "Jinghua", "Cao", "ANSO", "CN", is_sample=False),
)

#: The contact person each member organization appointed to the working group (invented).
CONTACT_PERSONS = (
    _person("wang-lei", "Dr.", "Lei", "Wang", "CAS", "CN", family_first=True),
    _person("ayesha-siddiqui", "Dr.", "Ayesha", "Siddiqui", "IIEES", "PK"),
    _person("tariq-mahmood", "Prof.", "Tariq", "Mahmood", "PUST", "PK"),
    _person("wanjiru-kamau", "Dr.", "Wanjiru", "Kamau", "EAIDR", "KE"),
    _person("grace-njoroge", "Prof.", "Grace", "Njoroge", "RVUA", "KE"),
    _person("somchai-wongsakul", "Dr.", "Somchai", "Wongsakul", "CPIAS", "TH"),
    _person("alexei-volkov", "Prof.", "Alexei", "Volkov", "BAS", "RU"),
    _person("aigerim-bekova", "Dr.", "Aigerim", "Bekova", "ZIEWR", "KZ"),
    _person("nimal-perera", "Dr.", "Nimal", "Perera", "SAST", "LK"),
    _person("sita-sharma", "Dr.", "Sita", "Sharma", "HCMS", "NP"),
    _person("farhana-rahman", "Prof.", "Farhana", "Rahman", "GDUE", "BD"),
    _person("giulia-romano", "Dr.", "Giulia", "Romano", "MICS", "IT"),
    _person("lucas-oliveira", "Dr.", "Lucas", "Oliveira", "PANBR", "BR"),
    _person("kwame-mensah", "Prof.", "Kwame", "Mensah", "VAS", "GH"),
    _person("bat-erdene-gansukh", "Dr.", "Bat-Erdene", "Gansukh", "KIG", "MN"),
    _person("wong-ka-ming", "Prof.", "Ka-ming", "Wong", "VHUS", "HK", family_first=True),
    _person("zhang-wei", "Prof.", "Wei", "Zhang", "TIALE", "CN", family_first=True),
)

#: The five related experts of the working group (invented).
EXPERTS = (
    _person("marco-bianchi", "Prof.", "Marco", "Bianchi", "MICS", "IT"),
    _person("natalia-sokolova", "Dr.", "Natalia", "Sokolova", "BAS", "RU"),
    _person("abdul-karim", "Prof.", "Abdul", "Karim", "GDUE", "BD"),
    _person("enkhjargal-dorj", "Dr.", "Enkhjargal", "Dorj", "KIG", "MN"),
    _person("lin-hui", "Dr.", "Hui", "Lin", "VHUS", "HK", family_first=True),
)

#: Colleagues who came with their organization's delegate (invented).
COLLEAGUES = (
    _person("chen-jing", "Dr.", "Jing", "Chen", "CAS", "CN", family_first=True),
    _person("imran-qureshi", "Dr.", "Imran", "Qureshi", "IIEES", "PK"),
    _person("brian-otieno", "Dr.", "Brian", "Otieno", "EAIDR", "KE"),
    _person("pimchanok-srisuk", "Dr.", "Pimchanok", "Srisuk", "CPIAS", "TH"),
    _person("ram-adhikari", "Dr.", "Ram", "Adhikari", "HCMS", "NP"),
    _person("liu-fang", "Dr.", "Fang", "Liu", "TIALE", "CN", family_first=True),
)

#: Secretariat staff (invented); each presents one of the future actions in the second session.
SECRETARIAT_STAFF = (
    _person("zhao-min", "Ms.", "Min", "Zhao", "ANSO", "CN", family_first=True),
    _person("sun-tao", "Mr.", "Tao", "Sun", "ANSO", "CN", family_first=True),
    _person("li-na", "Dr.", "Na", "Li", "ANSO", "CN", family_first=True),
    _person("huang-yan", "Ms.", "Yan", "Huang", "ANSO", "CN", family_first=True),
    _person("ma-jun", "Dr.", "Jun", "Ma", "ANSO", "CN", family_first=True),
)

#: Guests from partners and an observer (invented).
GUESTS = (
    _person("niran-chaiyaporn", "Dr.", "Niran", "Chaiyaporn", "APNSA", "TH"),
    _person("kanya-boonmee", "Ms.", "Kanya", "Boonmee", "APNSA", "TH"),
    _person("daniyar-sultanov", "Mr.", "Daniyar", "Sultanov", "EFSC", "KZ"),
    _person("ama-owusu", "Dr.", "Ama", "Owusu", "SNYS", "GH"),
    _person("kofi-asante", "Mr.", "Kofi", "Asante", "SNYS", "GH"),
    _person("francesca-ricci", "Dr.", "Francesca", "Ricci", "ACSD", "IT"),
)

#: A journalist, and a participant with no organization and no recorded country (invented).
OTHERS = (
    _person("xu-li", "Ms.", "Li", "Xu", "SRSW", "CN", family_first=True),
    _person("tom-becker", "Mr.", "Tom", "Becker", None, ""),
)

#: Registered but did not attend: they must not change any count, and their countries (ZA, DE)
#: are outside the 14 on purpose.
ABSENTEES = (
    _person("thandiwe-nkosi", "Dr.", "Thandiwe", "Nkosi", "CIMS", "ZA"),
    _person("jonas-weber", "Dr.", "Jonas", "Weber", "RIPR", "DE"),
)

PEOPLE = (
    NAMED_PEOPLE
    + CONTACT_PERSONS
    + EXPERTS
    + COLLEAGUES
    + SECRETARIAT_STAFF
    + GUESTS
    + OTHERS
    + ABSENTEES
)

# Start dates below are sample values: the report gives the roles, not since when.
POSITIONS = (
    PositionRecord(
        "ailikun", Role.ASSISTANT_EXECUTIVE_DIRECTOR, GA_START, body=BodyKind.SECRETARIAT
    ),
    # The Vice-President is an officer of the alliance as a whole, not of one of its four
    # bodies, so the position is held in the organization ANSO.
    PositionRecord("qasim-jan", Role.VICE_PRESIDENT, GA_START, organization="ANSO"),
    PositionRecord(
        "yin-li",
        Role.DIRECTOR_GENERAL,
        datetime.date(2018, 1, 1),
        organization="BIC",
        title="Director General of the Bureau of International Cooperation of CAS",
    ),
    # "Newly confirmed" Executive Director at the time of the meeting.
    PositionRecord(
        "jinghua-cao",
        Role.EXECUTIVE_DIRECTOR,
        datetime.date(2019, 5, 1),
        body=BodyKind.SECRETARIAT,
    ),
    *(
        PositionRecord(
            person.slug,
            Role.CONTACT_PERSON,
            WG_POSITIONS_FROM,
            body=BodyKind.WORKING_GROUP,
            appointed_by=person.organization,
        )
        for person in CONTACT_PERSONS
    ),
    *(
        PositionRecord(person.slug, Role.EXPERT, WG_POSITIONS_FROM, body=BodyKind.WORKING_GROUP)
        for person in EXPERTS
    ),
    *(
        PositionRecord(
            person.slug,
            Role.STAFF,
            GA_START,
            body=BodyKind.SECRETARIAT,
            title="Programme Officer, ANSO Secretariat",
        )
        for person in SECRETARIAT_STAFF
    ),
)

#: What the report says of every future action at the 1st working-group meeting: the
#: Secretariat presented it, and it was discussed (the first progress note of each).
PRESENTED_AND_DISCUSSED = "Presented by the Secretariat and discussed by the working group."

#: Owners, due dates, statuses and the notes between meetings are sample data (the report names
#: none): the Secretariat, which presented every action, owns some; a member organization,
#: the working group and the member of the Secretariat who presented it own others.
#: Descriptions and notes that are sample data end with SAMPLE.
_FOLLOW_UP = {
    "ANSO joint research programmes": {
        "status": ActionStatus.IN_PROGRESS,
        "owner_organization": "CAS",
        "due_date": datetime.date(2020, 12, 31),
        "between": (
            (
                datetime.date(2019, 11, 4),
                "A first call for joint research proposals was opened to member organizations.",
            ),
        ),
    },
    "ANSO scholarship programme": {
        "status": ActionStatus.COMPLETED,
        "owner_body": BodyKind.SECRETARIAT,
        "due_date": datetime.date(2019, 9, 1),
        "between": (
            (
                datetime.date(2019, 8, 30),
                "The first scholarship holders were admitted for the autumn semester.",
            ),
        ),
    },
    "Capacity building and training": {
        "owner_person": "li-na",
        "due_date": datetime.date(2027, 6, 30),
    },
    "ANSO thematic alliances": {"owner_body": BodyKind.WORKING_GROUP},
    "Open science and data sharing": {},
}

#: The report does not name the future actions the Governing Board endorsed; these five are
#: plausible stand-ins.
ACTIONS = tuple(
    ActionRecord(
        title,
        f"{description} {SAMPLE}",
        status=_FOLLOW_UP[title].get("status", ActionStatus.ENDORSED),
        owner_organization=_FOLLOW_UP[title].get("owner_organization"),
        owner_body=_FOLLOW_UP[title].get("owner_body"),
        owner_person=_FOLLOW_UP[title].get("owner_person"),
        due_date=_FOLLOW_UP[title].get("due_date"),
        progress=(
            ProgressRecord(WG_START, PRESENTED_AND_DISCUSSED, at_meeting=True),
            *(
                ProgressRecord(date, f"{text} {SAMPLE}")
                for date, text in _FOLLOW_UP[title].get("between", ())
            ),
        ),
    )
    for title, description in (
        (
            "ANSO joint research programmes",
            "Joint research by member organizations on shared challenges of the Belt and Road "
            "region, such as climate change, water, disaster risk and public health.",
        ),
        (
            "ANSO scholarship programme",
            "Master's and doctoral scholarships for students from member countries to study at "
            "member universities and institutes.",
        ),
        (
            "Capacity building and training",
            "Training courses, summer schools and visiting fellowships for young scientists and "
            "research managers of member organizations.",
        ),
        (
            "ANSO thematic alliances",
            "Networks of member and partner organizations working on one theme, for example "
            "biodiversity, mountain science or the digital economy.",
        ),
        (
            "Open science and data sharing",
            "Shared research infrastructure, open data and science communication among members.",
        ),
    )
)

GENERAL_ASSEMBLY = MeetingRecord(
    body=BodyKind.GENERAL_ASSEMBLY,
    number=1,
    start_date=GA_START,
    end_date=GA_END,
    city="Beijing",
    country="CN",
    summary="ANSO was formally launched and held its first General Assembly in Beijing.",
)

GOVERNING_BOARD = MeetingRecord(
    body=BodyKind.GOVERNING_BOARD,
    number=1,
    start_date=GB_DATE,
    end_date=GB_DATE,
    city="Beijing",
    country="CN",
    summary=(
        "The Governing Board decided to build a working group nominated by each member "
        "organization and principally endorsed the ANSO future actions. "
        "The date of this meeting is sample data: the report does not give it."
    ),
    decisions=(
        DecisionRecord("To build a working group nominated by each member organization."),
        DecisionRecord(
            "To principally endorse the ANSO future actions (the action plan).", endorses=ACTIONS
        ),
    ),
)


def _attended(people: tuple[PersonRecord, ...], capacity: Capacity):
    return tuple(ParticipationRecord(person.slug, capacity) for person in people)


_OPENING_ITEMS = (
    AgendaItemRecord(
        AgendaItemKind.WELCOME,
        "Welcome on behalf of ANSO",
        "The working group is to strengthen and activate interaction and communication "
        "among ANSO members.",
        speaker="qasim-jan",
        speaker_capacity="ANSO Vice-President",
    ),
    AgendaItemRecord(
        AgendaItemKind.OPENING_ADDRESS,
        "Opening address",
        "The launch of ANSO was listed among the major outputs of the Belt and Road "
        "Initiative at the 2nd Belt and Road Forum for International Cooperation; "
        "cooperation on Science, Technology, Innovation and Capacity Building (STIC).",
        speaker="yin-li",
        speaker_capacity="Director General of the Bureau of International Cooperation of CAS",
    ),
    AgendaItemRecord(
        AgendaItemKind.OPENING_ADDRESS,
        "Opening address",
        "The objectives of the meeting: a working mechanism among members and partners, "
        "and understanding and consensus on how to implement the ANSO action plan.",
        speaker="jinghua-cao",
        speaker_capacity="Executive Director of the ANSO Secretariat",
    ),
    AgendaItemRecord(
        AgendaItemKind.PRESENTATION,
        "The overall work of the ANSO Secretariat and the ANSO future actions",
        speaker="jinghua-cao",
        speaker_capacity="Executive Director of the ANSO Secretariat",
    ),
)

#: Each future action presented by one of the Secretariat staff, then discussed.
_SECOND_SESSION_ITEMS = tuple(
    item
    for action, presenter in zip(ACTIONS, SECRETARIAT_STAFF, strict=True)
    for item in (
        AgendaItemRecord(
            AgendaItemKind.PRESENTATION,
            action.title,
            "Presented by the Secretariat.",
            speaker=presenter.slug,
            speaker_capacity="ANSO Secretariat",
            action=action.title,
        ),
        AgendaItemRecord(
            AgendaItemKind.DISCUSSION, f"Discussion: {action.title}", action=action.title
        ),
    )
)

WORKING_GROUP_MEETING = MeetingRecord(
    body=BodyKind.WORKING_GROUP,
    number=1,
    start_date=WG_START,
    end_date=WG_END,
    venue="Ya'ao International Hotel",
    city="Beijing",
    country="CN",
    summary=(
        "The first meeting of the working group that the Governing Board decided to "
        "build, with contact persons nominated by the member organizations and related "
        "experts. It set out to strengthen interaction and communication among members "
        "and partners, to agree a working mechanism, and to reach a common "
        "understanding of how to implement the ANSO action plan. In the second session "
        "the Secretariat presented each of the future actions the Governing Board had "
        "principally endorsed, and each was discussed."
    ),
    reported_attendance=(
        "17 ANSO member organizations and about 30 other participants; more than 40 "
        "participants from 14 countries and regions"
    ),
    # Sample: put to the member organizations by written procedure after the meeting
    # (meetings/demo/votes.py).
    decisions=(DecisionRecord(VOTE_DECISION),),
    participations=(
        # 17 member-organization delegates: one for each member organization.
        *_attended(CONTACT_PERSONS, Capacity.DELEGATE),
        # 28 other participants.
        *_attended(EXPERTS, Capacity.EXPERT),
        *_attended(COLLEAGUES, Capacity.OTHER),
        *_attended(SECRETARIAT_STAFF, Capacity.SECRETARIAT),
        ParticipationRecord("ailikun", Capacity.SECRETARIAT),
        ParticipationRecord("jinghua-cao", Capacity.SECRETARIAT),
        ParticipationRecord("qasim-jan", Capacity.OTHER),
        ParticipationRecord("yin-li", Capacity.GUEST),
        *_attended(GUESTS, Capacity.GUEST),
        *_attended(OTHERS, Capacity.OTHER),
        # Registered, did not come.
        ParticipationRecord(
            "thandiwe-nkosi", Capacity.GUEST, ParticipationStatus.ABSENT, listed_publicly=False
        ),
        ParticipationRecord(
            "jonas-weber", Capacity.GUEST, ParticipationStatus.CANCELLED, listed_publicly=False
        ),
    ),
    sessions=(
        SessionRecord(
            "Opening session",
            SessionKind.OPENING,
            WG_START,
            _OPENING_ITEMS,
            chair="ailikun",
            chair_capacity="Assistant Executive Director of the ANSO Secretariat",
        ),
        # The report does not date or chair the second session: held on the second day here.
        SessionRecord("Second session", SessionKind.WORKING, WG_END, _SECOND_SESSION_ITEMS),
    ),
)

MEETINGS = (GENERAL_ASSEMBLY, GOVERNING_BOARD, WORKING_GROUP_MEETING)

#: Sample data, not a real meeting: the 2nd working-group meeting, registration open.
UPCOMING_MEETING = UpcomingMeetingRecord(
    body=BodyKind.WORKING_GROUP,
    number=2,
    starts_in_days=60,
    days=2,
    venue="Sample Conference Centre",
    city="Beijing",
    country="CN",
    summary="Sample data: an upcoming meeting invented for the demonstration of registration.",
    capacity=80,
    registration_closes_in_days=50,
)


#: The minutes of the 1st working-group meeting, summarised from the report, part by part. The
#: report says each future action was discussed, not what was said: those parts say so. They
#: were circulated, not approved: the 2nd meeting, which would approve them, is still to come
#: (docs/record.md).
MINUTES_PRESENTED = (
    "The Secretariat presented this action, one of the ANSO future actions that the "
    "Governing Board had principally endorsed."
)
MINUTES_DISCUSSED = (
    "The working group discussed the action. *The report of the meeting does not record "
    "the points made.*"
)
#: A member's comment on the circulated minutes (their first part): who, and what.
MINUTES_COMMENT = (
    "wang-lei",
    f"Please name the member organizations that attended, as the report lists them. {SAMPLE}",
)
WORKING_GROUP_MINUTES = (
    MinutesPartRecord(
        "17 ANSO member organizations and about 30 other participants, more than 40 "
        "participants from 14 countries and regions, attended the meeting at the Ya'ao "
        "International Hotel, Beijing, on 13-14 May 2019. The opening session was chaired by "
        "Prof. Ailikun, Assistant Executive Director of the ANSO Secretariat.",
        heading="Opening and attendance",
    ),
    MinutesPartRecord(
        "Prof. Qasim Jan, ANSO Vice-President, welcomed the participants on behalf of ANSO. "
        "The working group was set up to strengthen and activate interaction and "
        "communication among ANSO members. He looked forward to a more detailed discussion "
        "with the working-group members on the ANSO future actions.",
        session=1,
        item=1,
    ),
    MinutesPartRecord(
        "Prof. Yin Li, Director General of the Bureau of International Cooperation of CAS, "
        "pointed out that the launch of ANSO was listed among the major outputs of the Belt "
        "and Road Initiative at the 2nd Belt and Road Forum for International Cooperation. "
        "International cooperation on Science, Technology, Innovation and Capacity Building "
        "(STIC) is becoming one of the highest priorities of Belt and Road development.",
        session=1,
        item=2,
    ),
    MinutesPartRecord(
        "Prof. Jinghua Cao, newly confirmed Executive Director of the ANSO Secretariat, "
        "thanked the members for their support and contribution. ANSO had made great "
        "progress since the General Assembly through the joint efforts of the Secretariat, "
        "the Chinese Academy of Sciences and the Governing Board. The meeting was to "
        "discuss:\n\n"
        "- the working mechanism among ANSO members and partners;\n"
        "- a common understanding of, and consensus on, how to implement the ANSO action "
        "plan.",
        session=1,
        item=3,
    ),
    MinutesPartRecord(
        "Prof. Cao presented the overall work of the ANSO Secretariat and the ANSO future "
        "actions, which the second session took up one by one.",
        session=1,
        item=4,
    ),
    *(
        MinutesPartRecord(text, session=2, item=2 * index + offset)
        for index in range(len(ACTIONS))
        for offset, text in ((1, MINUTES_PRESENTED), (2, MINUTES_DISCUSSED))
    ),
)
