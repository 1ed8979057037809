"""Template tags for meeting pages: the registration box and charts drawn as SVG on the server
(no chart library, no script). They read through selectors and compute no figures."""

from django import template

from ..attendance.selectors import registration_state

register = template.Library()

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 230
CHART_WIDTH = 640
VALUE_ROOM = 50


@register.inclusion_tag("meetings/includes/bar_chart.html")
def bar_chart(rows, title, chart_id="chart"):
    """A horizontal bar chart of `rows` (objects with .label and .value) as inline SVG, with
    the same figures in a table for screen readers and for copying."""
    peak = max((row.value for row in rows), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(span * row.value / peak, 1)
        bars.append(
            {
                "label": row.label,
                "value": row.value,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "title": title,
        "chart_id": chart_id,
        "bars": bars,
        "height": max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
    }


@register.inclusion_tag("meetings/includes/trend_chart.html")
def trend_chart(trends, title, chart_id="trend"):
    """Registered and attended per meeting as paired columns, oldest meeting on the left."""
    height, base = 220, 190
    peak = max((max(t.registered, t.attended) for t in trends), default=0) or 1
    slot = 90
    columns = []
    for index, trend in enumerate(trends):
        x = 40 + index * slot
        reg_h = round(160 * trend.registered / peak, 1)
        att_h = round(160 * trend.attended / peak, 1)
        columns.append(
            {
                "trend": trend,
                "x_reg": x,
                "x_att": x + 28,
                "y_reg": base - reg_h,
                "y_att": base - att_h,
                "h_reg": reg_h,
                "h_att": att_h,
                "label_x": x + 26,
                "value_y_reg": base - reg_h - 4,
                "value_y_att": base - att_h - 4,
            }
        )
    return {
        "title": title,
        "chart_id": chart_id,
        "columns": columns,
        "width": max(40 + len(trends) * slot + 20, 300),
        "height": height,
        "base": base,
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
