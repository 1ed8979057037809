"""Demo data: the facts of the report of the 1st ANSO Working Group Meeting (Beijing, 13-14 May
2019), completed with invented sample records where the report gives only counts.

`demo_load()` is idempotent: every row is found by its natural key and saved only when a value
differs, so a second run changes nothing and adds no history.

What the report states (and the demo reproduces from attendance records):
  - 17 ANSO member organizations attended: CAS plus 16 invented member organizations;
  - participants came from 14 countries and regions;
  - more than 40 participants (45 attended here);
  - the working group had 22 members: a contact person for each of the 17 member organizations
    plus 5 related experts.
Everything the report does not name (the sample organizations and people, the five future
actions, most start dates) is invented and flagged with `is_sample` or "Sample data.".
"""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction

from members.models import (
    Body,
    BodyKind,
    MembershipStatus,
    NameOrder,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Role,
)

from .attendance.models import Capacity, Participation, ParticipationStatus
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Decision,
    Meeting,
    Session,
    SessionKind,
    Speaker,
)

SAMPLE = "Sample data."

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


@dataclass
class DemoResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    objects: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.created} records created, {self.updated} updated, {self.unchanged} unchanged"


class _Loader:
    def __init__(self):
        self.result = DemoResult()

    def upsert(self, model: type[models.Model], lookup: dict, values: dict | None = None):
        """Get the row by `lookup` and bring it to `values`; create it when missing.

        Unlike `update_or_create`, an unchanged row is not saved again, so a second run writes
        nothing and adds no history records.
        """
        values = values or {}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.result.created += 1
            return obj
        changed = False
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                current = getattr(obj, model_field.attname)
                wanted = value.pk if value is not None else None
            else:
                current = model_field.get_prep_value(getattr(obj, name))
                wanted = model_field.get_prep_value(value)
            if current != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return obj

    def organization(self, name: str, **values) -> Organization:
        return self.upsert(Organization, {"name": name}, values)

    def person(self, slug: str, **values) -> Person:
        """People are found by slug: the demo gives every person a fixed one."""
        return self.upsert(Person, {"slug": slug}, values)

    def position(self, *, person, role, start_date, body=None, organization=None, **values):
        lookup = {"person": person, "role": role, "start_date": start_date}
        if body is not None:
            lookup["body"] = body
            values["organization"] = None
        else:
            lookup["organization"] = organization
            values["body"] = None
        return self.upsert(Position, lookup, values)


# --- the invented member organizations --------------------------------------------------------
# (name, short name, kind, country, contact person, extra delegate or None)
# A person is (slug, honorific, given name, family name, name order).
GF, FF = NameOrder.GIVEN_FIRST, NameOrder.FAMILY_FIRST
K = OrganizationKind

SAMPLE_MEMBERS = [
    (
        "Indus Institute of Earth and Environmental Sciences",
        "IIEES",
        K.RESEARCH_INSTITUTE,
        "PK",
        ("ayesha-siddiqui", "Dr.", "Ayesha", "Siddiqui", GF),
        ("imran-qureshi", "Dr.", "Imran", "Qureshi", GF),
    ),
    (
        "Potohar University of Science and Technology",
        "PUST",
        K.UNIVERSITY,
        "PK",
        ("tariq-mahmood", "Prof.", "Tariq", "Mahmood", GF),
        None,
    ),
    (
        "East African Institute for Dryland Research",
        "EAIDR",
        K.RESEARCH_INSTITUTE,
        "KE",
        ("wanjiru-kamau", "Dr.", "Wanjiru", "Kamau", GF),
        ("brian-otieno", "Dr.", "Brian", "Otieno", GF),
    ),
    (
        "Rift Valley University of Agriculture",
        "RVUA",
        K.UNIVERSITY,
        "KE",
        ("grace-njoroge", "Prof.", "Grace", "Njoroge", GF),
        None,
    ),
    (
        "Chao Phraya Institute of Applied Science",
        "CPIAS",
        K.RESEARCH_INSTITUTE,
        "TH",
        ("somchai-wongsakul", "Dr.", "Somchai", "Wongsakul", GF),
        ("pimchanok-srisuk", "Dr.", "Pimchanok", "Srisuk", GF),
    ),
    (
        "Baikal Academy of Sciences",
        "BAS",
        K.ACADEMY,
        "RU",
        ("alexei-volkov", "Prof.", "Alexei", "Volkov", GF),
        None,
    ),
    (
        "Zhetysu Institute of Ecology and Water Resources",
        "ZIEWR",
        K.RESEARCH_INSTITUTE,
        "KZ",
        ("aigerim-bekova", "Dr.", "Aigerim", "Bekova", GF),
        None,
    ),
    (
        "Serendib Agency for Science and Technology",
        "SAST",
        K.GOVERNMENT_AGENCY,
        "LK",
        ("nimal-perera", "Dr.", "Nimal", "Perera", GF),
        None,
    ),
    (
        "Himalayan Centre for Mountain Science",
        "HCMS",
        K.RESEARCH_INSTITUTE,
        "NP",
        ("sita-sharma", "Dr.", "Sita", "Sharma", GF),
        ("ram-adhikari", "Dr.", "Ram", "Adhikari", GF),
    ),
    (
        "Ganges Delta University of Engineering",
        "GDUE",
        K.UNIVERSITY,
        "BD",
        ("farhana-rahman", "Prof.", "Farhana", "Rahman", GF),
        None,
    ),
    (
        "Mediterranean Institute for Climate Studies",
        "MICS",
        K.RESEARCH_INSTITUTE,
        "IT",
        ("giulia-romano", "Dr.", "Giulia", "Romano", GF),
        None,
    ),
    (
        "Pan-Amazonian Network for Biodiversity Research",
        "PANBR",
        K.INTERNATIONAL_ORGANIZATION,
        "BR",
        ("lucas-oliveira", "Dr.", "Lucas", "Oliveira", GF),
        None,
    ),
    (
        "Volta Academy of Sciences",
        "VAS",
        K.ACADEMY,
        "GH",
        ("kwame-mensah", "Prof.", "Kwame", "Mensah", GF),
        None,
    ),
    (
        "Khangai Institute of Geology",
        "KIG",
        K.RESEARCH_INSTITUTE,
        "MN",
        ("bat-erdene-gansukh", "Dr.", "Bat-Erdene", "Gansukh", GF),
        None,
    ),
    (
        "Victoria Harbour University of Science",
        "VHUS",
        K.UNIVERSITY,
        "HK",
        ("wong-ka-ming", "Prof.", "Ka-ming", "Wong", FF),
        None,
    ),
    (
        "Tianshan Institute of Arid Land Ecology",
        "TIALE",
        K.RESEARCH_INSTITUTE,
        "CN",
        ("zhang-wei", "Prof.", "Wei", "Zhang", FF),
        ("liu-fang", "Dr.", "Fang", "Liu", FF),
    ),
]

#: CAS's own contact person and extra delegate (invented).
CAS_CONTACT = ("wang-lei", "Dr.", "Lei", "Wang", FF)
CAS_DELEGATE = ("chen-jing", "Dr.", "Jing", "Chen", FF)

#: The five related experts of the working group: (person, short name of their organization).
EXPERTS = [
    (("marco-bianchi", "Prof.", "Marco", "Bianchi", GF), "MICS", "IT"),
    (("natalia-sokolova", "Dr.", "Natalia", "Sokolova", GF), "BAS", "RU"),
    (("abdul-karim", "Prof.", "Abdul", "Karim", GF), "GDUE", "BD"),
    (("enkhjargal-dorj", "Dr.", "Enkhjargal", "Dorj", GF), "KIG", "MN"),
    (("lin-hui", "Dr.", "Hui", "Lin", FF), "VHUS", "HK"),
]

#: Secretariat staff (invented); each presents one of the future actions in the second session.
SECRETARIAT_STAFF = [
    ("zhao-min", "Ms.", "Min", "Zhao", FF),
    ("sun-tao", "Mr.", "Tao", "Sun", FF),
    ("li-na", "Dr.", "Na", "Li", FF),
    ("huang-yan", "Ms.", "Yan", "Huang", FF),
    ("ma-jun", "Dr.", "Jun", "Ma", FF),
]

#: Partner and other organizations whose people came as guests (invented):
#: (name, short name, kind, country, membership status).
OTHER_ORGANIZATIONS = [
    (
        "Asia-Pacific Network for Sustainable Agriculture",
        "APNSA",
        K.INTERNATIONAL_ORGANIZATION,
        "TH",
        MembershipStatus.PARTNER,
    ),
    (
        "Eurasian Foundation for Science Cooperation",
        "EFSC",
        K.OTHER,
        "KZ",
        MembershipStatus.PARTNER,
    ),
    (
        "Savanna Network of Young Scientists",
        "SNYS",
        K.INTERNATIONAL_ORGANIZATION,
        "GH",
        MembershipStatus.PARTNER,
    ),
    (
        "Adriatic Centre for Science Diplomacy",
        "ACSD",
        K.RESEARCH_INSTITUTE,
        "IT",
        MembershipStatus.OBSERVER,
    ),
    ("Silk Road Science Weekly", "SRSW", K.OTHER, "CN", MembershipStatus.NONE),
    (
        "Cape Institute of Marine Science",
        "CIMS",
        K.RESEARCH_INSTITUTE,
        "ZA",
        MembershipStatus.PARTNER,
    ),
    (
        "Rhine Institute for Polar Research",
        "RIPR",
        K.RESEARCH_INSTITUTE,
        "DE",
        MembershipStatus.PARTNER,
    ),
]

#: Other participants (invented): (person, organization short name or None, country,
#: capacity, status). The last two did not attend: they must not change any count, and their
#: countries (ZA, DE) are outside the 14 on purpose. One attended without a recorded country.
GUESTS = [
    (("niran-chaiyaporn", "Dr.", "Niran", "Chaiyaporn", GF), "APNSA", "TH", Capacity.GUEST),
    (("kanya-boonmee", "Ms.", "Kanya", "Boonmee", GF), "APNSA", "TH", Capacity.GUEST),
    (("daniyar-sultanov", "Mr.", "Daniyar", "Sultanov", GF), "EFSC", "KZ", Capacity.GUEST),
    (("ama-owusu", "Dr.", "Ama", "Owusu", GF), "SNYS", "GH", Capacity.GUEST),
    (("kofi-asante", "Mr.", "Kofi", "Asante", GF), "SNYS", "GH", Capacity.GUEST),
    (("francesca-ricci", "Dr.", "Francesca", "Ricci", GF), "ACSD", "IT", Capacity.GUEST),
    (("xu-li", "Ms.", "Li", "Xu", FF), "SRSW", "CN", Capacity.OTHER),
    (("tom-becker", "Mr.", "Tom", "Becker", GF), None, "", Capacity.OTHER),
]
NOT_ATTENDED = [
    (
        ("thandiwe-nkosi", "Dr.", "Thandiwe", "Nkosi", GF),
        "CIMS",
        "ZA",
        Capacity.GUEST,
        ParticipationStatus.ABSENT,
    ),
    (
        ("jonas-weber", "Dr.", "Jonas", "Weber", GF),
        "RIPR",
        "DE",
        Capacity.GUEST,
        ParticipationStatus.CANCELLED,
    ),
]

#: The report does not name the future actions the Governing Board endorsed; these five are
#: plausible stand-ins.
ACTIONS = [
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
]


def _person_values(spec, *, organization, country, is_sample=True, email=True) -> dict:
    slug, honorific, given, family, order = spec
    values = {
        "honorific": honorific,
        "given_name": given,
        "family_name": family,
        "name_order": order,
        "organization": organization,
        "country": country,
        "is_sample": is_sample,
    }
    if email:
        # example.org never delivers mail.
        values["email"] = f"{slug}@example.org"
    return values


def demo_load() -> DemoResult:
    """Create or bring up to date the demo records. Safe to run any number of times."""
    with transaction.atomic():
        return _load(_Loader())


def _load(load: _Loader) -> DemoResult:
    objects = load.result.objects

    # --- the alliance and its bodies -----------------------------------------------------------
    anso = load.organization(
        "Alliance of International Science Organizations",
        short_name="ANSO",
        kind=K.INTERNATIONAL_ORGANIZATION,
        country="CN",
        membership_status=MembershipStatus.NONE,
        website="http://www.anso.org.cn/",
    )
    bodies = {
        kind: load.upsert(Body, {"organization": anso, "kind": kind}, {"name": name})
        for kind, name in (
            (BodyKind.GENERAL_ASSEMBLY, "ANSO General Assembly"),
            (BodyKind.GOVERNING_BOARD, "ANSO Governing Board"),
            (BodyKind.SECRETARIAT, "ANSO Secretariat"),
            (BodyKind.WORKING_GROUP, "ANSO Working Group"),
        )
    }
    secretariat = bodies[BodyKind.SECRETARIAT]
    working_group = bodies[BodyKind.WORKING_GROUP]

    cas = load.organization(
        "Chinese Academy of Sciences",
        short_name="CAS",
        kind=K.ACADEMY,
        country="CN",
        membership_status=MembershipStatus.MEMBER,
        joined_on=JOINED,
        website="https://english.cas.cn/",
    )
    bureau = load.organization(
        "Bureau of International Cooperation",
        short_name="BIC",
        kind=K.OTHER,
        country="CN",
        parent=cas,
        # A unit of CAS, not a member of the alliance in its own right.
        membership_status=MembershipStatus.NONE,
    )

    # --- meetings before the working group's -------------------------------------------------
    assembly = load.upsert(
        Meeting,
        {"body": bodies[BodyKind.GENERAL_ASSEMBLY], "number": 1},
        {
            "start_date": GA_START,
            "end_date": GA_END,
            "city": "Beijing",
            "country": "CN",
            "is_published": True,
            "summary": (
                "ANSO was formally launched and held its first General Assembly in Beijing."
            ),
        },
    )
    board = load.upsert(
        Meeting,
        {"body": bodies[BodyKind.GOVERNING_BOARD], "number": 1},
        {
            "start_date": GB_DATE,
            "end_date": GB_DATE,
            "city": "Beijing",
            "country": "CN",
            "is_published": True,
            "summary": (
                "The Governing Board decided to build a working group nominated by each member "
                "organization and principally endorsed the ANSO future actions. "
                "The date of this meeting is sample data: the report does not give it."
            ),
        },
    )
    decision_wg = load.upsert(
        Decision,
        {"meeting": board, "order": 1},
        {"text": "To build a working group nominated by each member organization."},
    )
    decision_actions = load.upsert(
        Decision,
        {"meeting": board, "order": 2},
        {"text": "To principally endorse the ANSO future actions (the action plan)."},
    )
    actions = [
        load.upsert(
            Action,
            {"title": title},
            {
                "order": order,
                "description": f"{description} {SAMPLE}",
                "status": ActionStatus.ENDORSED,
                "endorsed_by": decision_actions,
            },
        )
        for order, (title, description) in enumerate(ACTIONS, start=1)
    ]

    # --- the people the report names ---------------------------------------------------------
    ailikun = load.person(
        "ailikun",
        honorific="Prof.",
        given_name="",
        family_name="Ailikun",
        organization=anso,
        country="CN",
    )
    qasim_jan = load.person(
        "qasim-jan",
        honorific="Prof.",
        given_name="Qasim",
        family_name="Jan",
        organization=anso,
        country="PK",
    )
    yin_li = load.person(
        "yin-li",
        honorific="Prof.",
        given_name="Yin",
        family_name="LI",
        organization=bureau,
        country="CN",
    )
    jinghua_cao = load.person(
        "jinghua-cao",
        honorific="Prof.",
        given_name="Jinghua",
        family_name="Cao",
        organization=anso,
        country="CN",
    )
    # Start dates below are sample values: the report gives the roles, not since when.
    load.position(
        person=ailikun,
        role=Role.ASSISTANT_EXECUTIVE_DIRECTOR,
        body=secretariat,
        start_date=GA_START,
    )
    # The Vice-President is an officer of the alliance as a whole, not of one of its four
    # bodies, so the position is held in the organization ANSO.
    load.position(
        person=qasim_jan, role=Role.VICE_PRESIDENT, organization=anso, start_date=GA_START
    )
    load.position(
        person=yin_li,
        role=Role.DIRECTOR_GENERAL,
        organization=bureau,
        title="Director General of the Bureau of International Cooperation of CAS",
        start_date=datetime.date(2018, 1, 1),
    )
    # "Newly confirmed" Executive Director at the time of the meeting.
    load.position(
        person=jinghua_cao,
        role=Role.EXECUTIVE_DIRECTOR,
        body=secretariat,
        start_date=datetime.date(2019, 5, 1),
    )

    # --- member organizations and the working group ------------------------------------------
    members = {"CAS": cas}
    contacts = [(CAS_CONTACT, cas)]
    delegates = [(CAS_DELEGATE, cas)]
    for name, short, kind, country, contact, delegate in SAMPLE_MEMBERS:
        org = load.organization(
            name,
            short_name=short,
            kind=kind,
            country=country,
            membership_status=MembershipStatus.MEMBER,
            joined_on=JOINED,
            is_sample=True,
        )
        members[short] = org
        contacts.append((contact, org))
        if delegate:
            delegates.append((delegate, org))

    attendance = []  # (person, organization, country, capacity, status)
    for spec, org in contacts:
        person = load.person(spec[0], **_person_values(spec, organization=org, country=org.country))
        load.position(
            person=person,
            role=Role.CONTACT_PERSON,
            body=working_group,
            appointed_by=org,
            start_date=WG_POSITIONS_FROM,
        )
        attendance.append((person, org, org.country, Capacity.WORKING_GROUP_MEMBER))
    for spec, short, country in EXPERTS:
        org = members[short]
        person = load.person(spec[0], **_person_values(spec, organization=org, country=country))
        load.position(
            person=person, role=Role.EXPERT, body=working_group, start_date=WG_POSITIONS_FROM
        )
        attendance.append((person, org, country, Capacity.EXPERT))
    for spec, org in delegates:
        person = load.person(spec[0], **_person_values(spec, organization=org, country=org.country))
        attendance.append((person, org, org.country, Capacity.DELEGATE))

    staff = []
    for spec in SECRETARIAT_STAFF:
        person = load.person(spec[0], **_person_values(spec, organization=anso, country="CN"))
        load.position(
            person=person,
            role=Role.STAFF,
            title="Programme Officer, ANSO Secretariat",
            body=secretariat,
            start_date=GA_START,
        )
        staff.append(person)
        attendance.append((person, anso, "CN", Capacity.SECRETARIAT))

    attendance += [
        (ailikun, anso, "CN", Capacity.SECRETARIAT),
        (jinghua_cao, anso, "CN", Capacity.SECRETARIAT),
        (qasim_jan, anso, "PK", Capacity.OTHER),
        (yin_li, bureau, "CN", Capacity.GUEST),
    ]

    others = {}
    for name, short, kind, country, status in OTHER_ORGANIZATIONS:
        others[short] = load.organization(
            name,
            short_name=short,
            kind=kind,
            country=country,
            membership_status=status,
            is_sample=True,
        )
    for spec, short, country, capacity in GUESTS:
        org = others[short] if short else None
        person = load.person(spec[0], **_person_values(spec, organization=org, country=country))
        attendance.append((person, org, country, capacity))

    # --- the 1st ANSO Working Group Meeting ---------------------------------------------------
    meeting = load.upsert(
        Meeting,
        {"body": working_group, "number": 1},
        {
            "start_date": WG_START,
            "end_date": WG_END,
            "venue": "Ya'ao International Hotel",
            "city": "Beijing",
            "country": "CN",
            "is_published": True,
            "summary": (
                "The first meeting of the working group that the Governing Board decided to "
                "build, with contact persons nominated by the member organizations and related "
                "experts. It set out to strengthen interaction and communication among members "
                "and partners, to agree a working mechanism, and to reach a common "
                "understanding of how to implement the ANSO action plan. In the second session "
                "the Secretariat presented each of the future actions the Governing Board had "
                "principally endorsed, and each was discussed."
            ),
            "reported_attendance": (
                "17 ANSO member organizations and about 30 other participants; more than 40 "
                "participants from 14 countries and regions"
            ),
        },
    )
    for person, org, country, capacity in attendance:
        load.upsert(
            Participation,
            {"meeting": meeting, "person": person},
            {
                "organization": org,
                "country": country,
                "capacity": capacity,
                "status": ParticipationStatus.ATTENDED,
                "listed_publicly": True,
            },
        )
    for spec, short, country, capacity, status in NOT_ATTENDED:
        org = others[short]
        person = load.person(spec[0], **_person_values(spec, organization=org, country=country))
        load.upsert(
            Participation,
            {"meeting": meeting, "person": person},
            {
                "organization": org,
                "country": country,
                "capacity": capacity,
                "status": status,
                "listed_publicly": False,
            },
        )

    opening = load.upsert(
        Session,
        {"meeting": meeting, "order": 1},
        {
            "title": "Opening session",
            "kind": SessionKind.OPENING,
            "date": WG_START,
            "chair": ailikun,
            "chair_capacity": "Assistant Executive Director of the ANSO Secretariat",
        },
    )
    programme = [
        (
            AgendaItemKind.WELCOME,
            "Welcome on behalf of ANSO",
            "The working group is to strengthen and activate interaction and communication "
            "among ANSO members.",
            qasim_jan,
            "ANSO Vice-President",
            None,
        ),
        (
            AgendaItemKind.OPENING_ADDRESS,
            "Opening address",
            "The launch of ANSO was listed among the major outputs of the Belt and Road "
            "Initiative at the 2nd Belt and Road Forum for International Cooperation; "
            "cooperation on Science, Technology, Innovation and Capacity Building (STIC).",
            yin_li,
            "Director General of the Bureau of International Cooperation of CAS",
            None,
        ),
        (
            AgendaItemKind.OPENING_ADDRESS,
            "Opening address",
            "The objectives of the meeting: a working mechanism among members and partners, "
            "and understanding and consensus on how to implement the ANSO action plan.",
            jinghua_cao,
            "Executive Director of the ANSO Secretariat",
            None,
        ),
        (
            AgendaItemKind.PRESENTATION,
            "The overall work of the ANSO Secretariat and the ANSO future actions",
            "",
            jinghua_cao,
            "Executive Director of the ANSO Secretariat",
            None,
        ),
    ]

    # The report does not date or chair the second session: held on the second day here.
    second = load.upsert(
        Session,
        {"meeting": meeting, "order": 2},
        {"title": "Second session", "kind": SessionKind.WORKING, "date": WG_END},
    )
    discussion = []
    for action, presenter in zip(actions, staff, strict=True):
        discussion += [
            (
                AgendaItemKind.PRESENTATION,
                action.title,
                "Presented by the Secretariat.",
                presenter,
                "ANSO Secretariat",
                action,
            ),
            (
                AgendaItemKind.DISCUSSION,
                f"Discussion: {action.title}",
                "",
                None,
                "",
                action,
            ),
        ]

    for session, items in ((opening, programme), (second, discussion)):
        for order, (kind, title, description, speaker, capacity, action) in enumerate(
            items, start=1
        ):
            item = load.upsert(
                AgendaItem,
                {"session": session, "order": order},
                {"kind": kind, "title": title, "description": description, "action": action},
            )
            if speaker:
                load.upsert(Speaker, {"item": item, "person": speaker}, {"capacity": capacity})

    objects.update(
        anso=anso,
        cas=cas,
        bureau=bureau,
        assembly=assembly,
        board=board,
        decision_wg=decision_wg,
        decision_actions=decision_actions,
        meeting=meeting,
        opening=opening,
        second=second,
        actions=actions,
    )
    return load.result
