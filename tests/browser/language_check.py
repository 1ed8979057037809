"""One language a page: on a Chinese page, a run of English words must sit inside an element
that says it is English (`lang="en"`, what `{% lang_of %}` writes for a fallback), or be one of
the few Latin-letter words listed below with the reason they stay in Latin letters."""

import re

#: A run of two or more words in Latin letters.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ \-'][A-Za-z]{2,})+")

#: Latin-letter text that is right on a Chinese page, each with its reason. (The alliance's
#: acronym, "ANSO 工作组", is one word and passes as it is; email addresses and URLs are dropped
#: before the check.)
ALLOWED = {
    "Yin Li": "the name-order choice's example: given and family name are typed in Latin letters",
    "Li Yin": "the name-order choice's example: given and family name are typed in Latin letters",
}


def latin_only_names() -> set[str]:
    """The Latin names of the people who have no name in another script ("Kofi Asante"):
    a Chinese page writes them in Latin letters, with the honorific in Chinese after them
    ("Kofi Asante 先生"), so the element holds both languages and carries no `lang`."""
    from members.models import Person

    return {person.full_name for person in Person.objects.filter(name_original="")}


# The visible text nodes of the page's header, main and footer, each with the nearest `lang`
# of its ancestors. Hidden elements (a collapsed menu, the honeypot field) are left out; the
# options of a <select> count, though a closed one shows only the chosen option (and Tom
# Select hides the <select> it replaces).
VISIBLE_TEXT = """
() => {
  const found = [];
  for (const root of document.querySelectorAll("header, main, footer")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      const element = node.parentElement;
      if (!text || !element || element.closest("script, style, template")) continue;
      const shown = element.closest("select") ||
        element.checkVisibility({visibilityProperty: true, opacityProperty: true});
      if (!shown) continue;
      const marked = element.closest("[lang]");
      found.push({
        text,
        lang: marked ? marked.getAttribute("lang") : "",
        tag: element.tagName.toLowerCase() + (element.id ? "#" + element.id : ""),
      });
    }
  }
  return found;
}
"""

EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


def unmarked_english(page, allowed=frozenset()) -> list[str]:
    """The runs of English words of a Chinese page's visible text that no `lang` attribute
    marks as another language, as "<tag>: <run> (in '<text>')"."""
    problems = []
    for node in page.evaluate(VISIBLE_TEXT):
        if not node["lang"].lower().startswith("zh"):
            continue  # marked as English (or another language): a declared fallback
        text = EMAIL_OR_URL.sub(" ", node["text"])
        for run in ENGLISH_RUN.findall(text):
            if run not in ALLOWED and run not in allowed:
                problems.append(f"{node['tag']}: {run!r} (in {node['text'][:80]!r})")
    return problems


def assert_one_language(page, allowed=frozenset()) -> None:
    problems = unmarked_english(page, allowed)
    assert not problems, f"{page.url} shows English not marked lang=en:\n" + "\n".join(problems)
