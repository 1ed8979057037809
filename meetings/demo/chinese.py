"""The Chinese text of the demo data: a translation, made for this demonstration, of the English
records in `data` (the report of the 1st ANSO Working Group Meeting was published in English).
It is not an official text of ANSO. Every meeting's Chinese summary ends with `TRANSLATED`, so
that a reader of the Chinese pages sees that the text is a translation.

Keyed by the English text: the loader writes the Chinese column of each translated field from
the English value (`chinese(...)`); a text with no entry here stays English only, and the
Chinese pages show it marked `lang="en"` (the hotel's name, the invented people's names).

Names in their own script are given only for the people the report names and whose Chinese
name is certain; everyone else keeps the Latin form only."""

# Chinese text is written with Chinese punctuation (full-width commas, colons, brackets).
# ruff: noqa: RUF001

from .data import (
    ACTIONS,
    MINUTES_DISCUSSED,
    MINUTES_PRESENTED,
    PRESENTED_AND_DISCUSSED,
    SAMPLE,
    VOTE_DECISION,
)

#: Ends every Chinese summary: the text is a translation of the English report.
TRANSLATED = "（本页中文内容译自英文会议报告，如有出入，以英文为准。）"
SAMPLE_ZH = "示例数据。"

#: A person's name in the original script, by the person's slug.
ORIGINAL_NAMES = {
    "jinghua-cao": "曹京华",
}

_ORGANIZATIONS = {
    "Alliance of International Science Organizations": "“一带一路”国际科学组织联盟",
    "Chinese Academy of Sciences": "中国科学院",
    "CAS": "中科院",
    "Bureau of International Cooperation": "国际合作局",
    "Indus Institute of Earth and Environmental Sciences": "印度河地球与环境科学研究所",
    "Potohar University of Science and Technology": "波特瓦尔科技大学",
    "East African Institute for Dryland Research": "东非旱地研究所",
    "Rift Valley University of Agriculture": "裂谷农业大学",
    "Chao Phraya Institute of Applied Science": "湄南河应用科学研究所",
    "Baikal Academy of Sciences": "贝加尔科学院",
    "Zhetysu Institute of Ecology and Water Resources": "七河生态与水资源研究所",
    "Serendib Agency for Science and Technology": "锡兰科学技术署",
    "Himalayan Centre for Mountain Science": "喜马拉雅山地科学中心",
    "Ganges Delta University of Engineering": "恒河三角洲工程大学",
    "Mediterranean Institute for Climate Studies": "地中海气候研究所",
    "Pan-Amazonian Network for Biodiversity Research": "泛亚马孙生物多样性研究网络",
    "Volta Academy of Sciences": "沃尔特科学院",
    "Khangai Institute of Geology": "杭爱地质研究所",
    "Victoria Harbour University of Science": "维多利亚港科技大学",
    "Tianshan Institute of Arid Land Ecology": "天山干旱区生态研究所",
    "Asia-Pacific Network for Sustainable Agriculture": "亚太可持续农业网络",
    "Eurasian Foundation for Science Cooperation": "欧亚科学合作基金会",
    "Savanna Network of Young Scientists": "萨凡纳青年科学家网络",
    "Adriatic Centre for Science Diplomacy": "亚得里亚科学外交中心",
    "Silk Road Science Weekly": "丝路科学周刊",
    "Cape Institute of Marine Science": "开普海洋科学研究所",
    "Rhine Institute for Polar Research": "莱茵极地研究所",
}

_BODIES = {
    "ANSO General Assembly": "ANSO全体大会",
    "ANSO Governing Board": "ANSO理事会",
    "ANSO Secretariat": "ANSO秘书处",
    "ANSO Working Group": "ANSO工作组",
}

#: The titles of the positions (shown instead of the role).
_POSITIONS = {
    "Director General of the Bureau of International Cooperation of CAS": "中科院国际合作局局长",
    "Programme Officer, ANSO Secretariat": "ANSO秘书处项目官员",
}

#: The future actions: title and description (the English description ends with SAMPLE).
_ACTIONS = {
    "ANSO joint research programmes": (
        "ANSO联合研究计划",
        "成员机构围绕“一带一路”地区的共同挑战开展联合研究，如气候变化、水资源、灾害风险和"
        "公共卫生。",
    ),
    "ANSO scholarship programme": (
        "ANSO奖学金计划",
        "资助成员国学生在成员大学和研究机构攻读硕士和博士学位。",
    ),
    "Capacity building and training": (
        "能力建设与培训",
        "为成员机构的青年科学家和科研管理人员举办培训班、暑期学校，设立访问学者项目。",
    ),
    "ANSO thematic alliances": (
        "ANSO专题联盟",
        "成员机构和伙伴机构围绕同一主题组成的合作网络，如生物多样性、山地科学或数字经济。",
    ),
    "Open science and data sharing": (
        "开放科学与数据共享",
        "成员之间共享科研基础设施、开放数据并开展科学传播。",
    ),
}

_MEETINGS = {
    "Beijing": "北京",
    "ANSO was formally launched and held its first General Assembly in Beijing.": (
        f"ANSO在北京正式成立，并召开第一届全体大会。{TRANSLATED}"
    ),
    (
        "The Governing Board decided to build a working group nominated by each member "
        "organization and principally endorsed the ANSO future actions. "
        "The date of this meeting is sample data: the report does not give it."
    ): (
        "理事会决定组建由各成员机构提名的工作组，并原则通过ANSO未来行动计划。"
        f"本次会议的日期为示例数据：报告未载明。{TRANSLATED}"
    ),
    "To build a working group nominated by each member organization.": (
        "组建由各成员机构提名的工作组。"
    ),
    "To principally endorse the ANSO future actions (the action plan).": (
        "原则通过ANSO未来行动（行动计划）。"
    ),
    VOTE_DECISION: (
        "以书面程序由各成员机构表决，通过ANSO未来行动（行动计划）作为工作组的工作计划。示例数据。"
    ),
    (
        "The first meeting of the working group that the Governing Board decided to "
        "build, with contact persons nominated by the member organizations and related "
        "experts. It set out to strengthen interaction and communication among members "
        "and partners, to agree a working mechanism, and to reach a common "
        "understanding of how to implement the ANSO action plan. In the second session "
        "the Secretariat presented each of the future actions the Governing Board had "
        "principally endorsed, and each was discussed."
    ): (
        "理事会决定组建的工作组召开第一次会议，成员为各成员机构提名的联络人和相关专家。"
        "会议旨在加强成员与伙伴之间的互动与交流，商定工作机制，并就如何落实ANSO行动计划"
        "达成共识。第二阶段会议上，秘书处逐一介绍了理事会原则通过的各项未来行动，"
        f"与会者逐项进行了讨论。{TRANSLATED}"
    ),
    (
        "17 ANSO member organizations and about 30 other participants; more than 40 "
        "participants from 14 countries and regions"
    ): "17个ANSO成员机构及约30名其他与会者；来自14个国家和地区的40余名与会者",
    "Opening session": "开幕式",
    "Second session": "第二阶段会议",
    "Assistant Executive Director of the ANSO Secretariat": "ANSO秘书处执行主任助理",
    "Welcome on behalf of ANSO": "代表ANSO致欢迎辞",
    (
        "The working group is to strengthen and activate interaction and communication "
        "among ANSO members."
    ): "工作组旨在加强和激活ANSO成员之间的互动与交流。",
    "Opening address": "开幕致辞",
    (
        "The launch of ANSO was listed among the major outputs of the Belt and Road "
        "Initiative at the 2nd Belt and Road Forum for International Cooperation; "
        "cooperation on Science, Technology, Innovation and Capacity Building (STIC)."
    ): (
        "ANSO的成立被列入第二届“一带一路”国际合作高峰论坛成果清单；科技创新与能力建设（STIC）合作。"
    ),
    (
        "The objectives of the meeting: a working mechanism among members and partners, "
        "and understanding and consensus on how to implement the ANSO action plan."
    ): "会议目标：建立成员与伙伴之间的工作机制，并就如何落实ANSO行动计划形成共识。",
    "The overall work of the ANSO Secretariat and the ANSO future actions": (
        "ANSO秘书处总体工作及ANSO未来行动"
    ),
    "Presented by the Secretariat.": "由秘书处介绍。",
    # The minutes of the 1st working-group meeting (data.WORKING_GROUP_MINUTES).
    "Opening and attendance": "开幕与出席情况",
    (
        "17 ANSO member organizations and about 30 other participants, more than 40 "
        "participants from 14 countries and regions, attended the meeting at the Ya'ao "
        "International Hotel, Beijing, on 13-14 May 2019. The opening session was chaired by "
        "Prof. Ailikun, Assistant Executive Director of the ANSO Secretariat."
    ): (
        "2019年5月13日至14日，17个ANSO成员机构及约30名其他与会者（来自14个国家和地区的40余名"
        "与会者）出席了在北京举行的会议。开幕式由ANSO秘书处执行主任助理"
        f"主持。{TRANSLATED}"
    ),
    (
        "Prof. Qasim Jan, ANSO Vice-President, welcomed the participants on behalf of ANSO. "
        "The working group was set up to strengthen and activate interaction and "
        "communication among ANSO members. He looked forward to a more detailed discussion "
        "with the working-group members on the ANSO future actions."
    ): (
        "ANSO副主席代表ANSO欢迎与会者。设立工作组旨在加强和激活ANSO成员之间的"
        "互动与交流。他期待与工作组成员就ANSO未来行动进行更深入的讨论。"
    ),
    (
        "Prof. Yin Li, Director General of the Bureau of International Cooperation of CAS, "
        "pointed out that the launch of ANSO was listed among the major outputs of the Belt "
        "and Road Initiative at the 2nd Belt and Road Forum for International Cooperation. "
        "International cooperation on Science, Technology, Innovation and Capacity Building "
        "(STIC) is becoming one of the highest priorities of Belt and Road development."
    ): (
        "中国科学院国际合作局局长指出，ANSO的成立被列入第二届“一带一路”国际合作"
        "高峰论坛成果清单。科技创新与能力建设（STIC）国际合作正成为“一带一路”建设最重要的"
        "领域之一。"
    ),
    (
        "Prof. Jinghua Cao, newly confirmed Executive Director of the ANSO Secretariat, "
        "thanked the members for their support and contribution. ANSO had made great "
        "progress since the General Assembly through the joint efforts of the Secretariat, "
        "the Chinese Academy of Sciences and the Governing Board. The meeting was to "
        "discuss:\n\n"
        "- the working mechanism among ANSO members and partners;\n"
        "- a common understanding of, and consensus on, how to implement the ANSO action "
        "plan."
    ): (
        "新任ANSO秘书处执行主任曹京华教授感谢各成员的支持与贡献。在秘书处、中国科学院和"
        "理事会的共同努力下，ANSO自全体大会以来取得了很大进展。本次会议将讨论：\n\n"
        "- ANSO成员与伙伴之间的工作机制；\n"
        "- 就如何落实ANSO行动计划形成共同理解与共识。"
    ),
    (
        "Prof. Cao presented the overall work of the ANSO Secretariat and the ANSO future "
        "actions, which the second session took up one by one."
    ): "曹京华教授介绍了ANSO秘书处的总体工作及ANSO未来行动，第二阶段会议对各项行动逐一进行了讨论。",
    MINUTES_PRESENTED: "秘书处介绍了这项行动，它是理事会原则通过的ANSO未来行动之一。",
    MINUTES_DISCUSSED: "工作组讨论了这项行动。*会议报告未记录讨论的具体内容。*",
    # The agenda made as a sample document (documents.py).
    "Meeting agenda (sample document)": "会议议程（示例文件）",
    # The upcoming sample meeting.
    "Sample Conference Centre": "示例会议中心",
    "Sample data: an upcoming meeting invented for the demonstration of registration.": (
        f"示例数据：为演示报名功能而虚构的即将召开的会议。{TRANSLATED}"
    ),
}


#: The actions' progress notes between meetings (sample data: the Chinese ends with SAMPLE_ZH).
_PROGRESS = {
    "A first call for joint research proposals was opened to member organizations.": (
        "面向成员组织发布了第一轮联合研究项目征集。"
    ),
    "The first scholarship holders were admitted for the autumn semester.": (
        "首批奖学金获得者已于秋季学期入学。"
    ),
}


def _translations() -> dict[str, str]:
    table = {**_ORGANIZATIONS, **_BODIES, **_POSITIONS, **_MEETINGS}
    table[PRESENTED_AND_DISCUSSED] = "秘书处作了介绍，工作组进行了讨论。"
    for english, translation in _PROGRESS.items():
        table[f"{english} {SAMPLE}"] = f"{translation}{SAMPLE_ZH}"
    for action in ACTIONS:
        title, description = _ACTIONS[action.title]
        table[action.title] = title
        table[action.description] = f"{description}{SAMPLE_ZH}"
        table[f"Discussion: {action.title}"] = f"讨论：{title}"
    return table


#: English text -> its Chinese translation.
TRANSLATIONS = _translations()


def chinese(english: str) -> str | None:
    """The Chinese translation of a text of the demo data, None when it has none."""
    return TRANSLATIONS.get(english)
