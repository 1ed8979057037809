import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from members.roles import SECRETARIAT_GROUP

pytestmark = pytest.mark.django_db


def _credentials(out: str) -> tuple[str, str]:
    username = re.search(r"username: (\S+)", out).group(1)
    password = re.search(r"password: (\S+)", out).group(1)
    return username, password


def test_create_demo_login_prints_credentials_that_log_in(client, capsys, settings):
    settings.DEBUG = True
    call_command("create_demo_login", url="http://127.0.0.1:8001/admin/")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8001/admin/" in out
    username, password = _credentials(out)
    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [SECRETARIAT_GROUP]
    assert client.login(username=username, password=password)
    assert client.get("/admin/meetings/meeting/").status_code == 200


def test_create_demo_login_resets_the_password_on_each_run(client, capsys, settings):
    settings.DEBUG = True
    call_command("create_demo_login")
    _, first = _credentials(capsys.readouterr().out)
    call_command("create_demo_login")
    username, second = _credentials(capsys.readouterr().out)
    assert first != second
    assert get_user_model().objects.filter(username=username).count() == 1
    assert not client.login(username=username, password=first)
    assert client.login(username=username, password=second)


def test_create_demo_login_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_login")
    assert not get_user_model().objects.exists()
