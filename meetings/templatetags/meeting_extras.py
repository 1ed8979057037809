"""Template tags for meeting pages: the registration box and charts drawn as SVG on the server
(no chart library, no script). They read through selectors and compute no figures."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

from ..attendance.selectors import OthersRow, registration_state
from ..documents.markup import documents_html

register = template.Library()


@register.simple_tag
def document_list(rows, with_meeting=False, previews=True):
    """Documents (`meetings.documents.listing` rows) with their links, types and sizes."""
    return documents_html(rows, with_meeting=with_meeting, previews=previews)


#: A bar chart's rows, in pixels: each label sits on its own line above its bar, so a long
#: name never runs out of the chart, whatever the screen's width.
LABEL_LINE = 18
BAR_HEIGHT = 16
ROW_GAP = 10
#: The longest bar, as a share of the chart's width; the rest holds the figure.
BAR_SPAN_PERCENT = 86
#: Labels longer than this are shortened in the chart (the table has them in full).
LABEL_CHARACTERS = 40


@register.inclusion_tag("meetings/includes/bar_chart.html")
def bar_chart(rows, title, chart_id="chart"):
    """A horizontal bar chart of `rows` (objects with .label and .value) as inline SVG as wide
    as its column (bars in percent, text at its own size), with the same figures in a table
    for screen readers and for copying. A folded row (`OthersRow`: "and 10 other
    organizations") is a line under the bars, not a bar: it may sum more than the largest
    row, and the bars are scaled to the largest named row."""
    others = next((row for row in rows if isinstance(row, OthersRow)), None)
    rows = [row for row in rows if not isinstance(row, OthersRow)]
    peak = max((row.value for row in rows), default=0) or 1
    row_height = LABEL_LINE + BAR_HEIGHT + ROW_GAP
    bars = []
    for index, row in enumerate(rows):
        top = index * row_height
        bars.append(
            {
                "label": row.label,
                "value": row.value,
                "label_y": top + LABEL_LINE - 5,
                "y": top + LABEL_LINE,
                "value_y": top + LABEL_LINE + BAR_HEIGHT - 3,
                "percent": round(BAR_SPAN_PERCENT * row.value / peak, 2),
            }
        )
    return {
        "title": title,
        "chart_id": chart_id,
        "bars": bars,
        "others": others,
        "height": max(len(bars) * row_height - ROW_GAP, BAR_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "label_characters": LABEL_CHARACTERS,
    }


#: The trend chart, in pixels: the columns' baseline, their tallest, and each meeting's slot
#: (two columns over two lines of label: its body and number, and its date).
TREND_BASE = 190
TREND_PEAK = 160
TREND_SLOT = 150
TREND_COLUMN = 24


def trend_label(meeting) -> tuple[str, str]:
    """Two lines under a meeting's columns that tell it apart from every other meeting, even
    of the same month: its body and number ("Governing Board 2"), and its date."""
    name = pgettext("a meeting under a chart's columns: its body and number", "%(body)s %(number)s")
    date = date_format(
        meeting.start_date, pgettext("a meeting's date under a chart's columns", "j M Y")
    )
    return name % {"body": meeting.body.get_kind_display(), "number": meeting.number}, date


@register.inclusion_tag("meetings/includes/trend_chart.html")
def trend_chart(trends, title, chart_id="trend"):
    """Registered and attended per meeting as paired columns, oldest meeting on the left. A
    meeting without any participation record has no columns but a note: its figures are
    unknown, not zero."""
    peak = max((max(t.registered, t.attended) for t in trends), default=0) or 1
    columns = []
    for index, trend in enumerate(trends):
        x = 40 + index * TREND_SLOT
        reg_h = round(TREND_PEAK * trend.registered / peak, 1)
        att_h = round(TREND_PEAK * trend.attended / peak, 1)
        name, date = trend_label(trend.meeting)
        columns.append(
            {
                "trend": trend,
                "name": name,
                "date": date,
                "x_reg": x,
                "x_att": x + TREND_COLUMN + 4,
                "y_reg": TREND_BASE - reg_h,
                "y_att": TREND_BASE - att_h,
                "h_reg": reg_h,
                "h_att": att_h,
                "label_x": x + TREND_COLUMN + 2,
                "value_y_reg": TREND_BASE - reg_h - 4,
                "value_y_att": TREND_BASE - att_h - 4,
            }
        )
    return {
        "title": title,
        "chart_id": chart_id,
        "columns": columns,
        "width": max(40 + len(trends) * TREND_SLOT + 20, 300),
        "height": TREND_BASE + 48,
        "base": TREND_BASE,
        "none_y": TREND_BASE - 6,
    }


@register.inclusion_tag("meetings/includes/registration_box.html", takes_context=True)
def registration_box(context, meeting):
    """The call to register shown on a meeting page, or why registration is not possible.
    Two queries at most."""
    request = context.get("request")
    invitation = request.GET.get("invitation", "") if request else ""
    state = registration_state(meeting=meeting, invitation=invitation)
    return {
        "meeting": meeting,
        "window": state.window,
        "invitation": invitation,
        "closed_message": state.closed_message,
        "seats_left": state.seats_left,
    }
