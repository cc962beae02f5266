import pytest
from tests.positioning.conftest import BEFORE_AFTER, TAG
@pytest.mark.django_db(transaction=True)
def test_smoke(bench):
    ids = bench.usage_ids(BEFORE_AFTER, TAG)
    for n in range(6):
        r = bench.call(ids[0], "submit", f"s{n}", {"ratings": {f"Pr{i}": (i + n) % 5 + 1 for i in range(1, 9)}, "justifications": {"Pr1": "=1+1"}, "confirm": True})
        assert r.status == 200, r
    bench.call(ids[1], "save_draft", "s1", {"ratings": {"Pr1": 3}, "justifications": {"Pr1": "<b>bold</b> now"}})
    open("/tmp/pos_after_draft.html", "w").write(bench.page(BEFORE_AFTER, "s1"))
    r = bench.call(ids[1], "submit", "s1", {"ratings": {f"Pr{i}": 4 for i in range(1, 9)}, "confirm": True})
    assert r.status == 200, r
    open("/tmp/pos_after_done.html", "w").write(bench.page(BEFORE_AFTER, "s1"))
    open("/tmp/pos_staff.html", "w").write(bench.page(BEFORE_AFTER, "staff"))
    r = bench.client.get(f"/handler/{ids[0]}/my_csv/?student=s1")
    print(r.status_code, r.headers, r.content.decode())
    r = bench.client.get(f"/handler/{ids[0]}/cohort_csv/?student=staff")
    print(r.status_code, r.content.decode()[:1500])
    r = bench.client.get(f"/handler/{ids[0]}/cohort_csv/?student=s1")
    print(r.status_code, r.content.decode()[:1500])
