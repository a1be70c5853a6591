"""schema.org JSON-LD on people, organizations and events, written so that no content can
break out of its script element."""

from __future__ import annotations

import pytest

from tests.conftest import SMALL_SITE, SiteDir

from .head import read_head


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("ld") / "site")
    files = {
        **SMALL_SITE,
        "content/people/ada.md": """\
            ---
            name: Ada Lovelace
            role: Analyst
            summary: Wrote the first program.
            organizations:
              - {org: engine-co, role: Programmer, from: 1842, to: 1843-09}
              - {org: society, from: 1843}
              - lab
            links:
              Wikipedia: https://en.wikipedia.org/wiki/Ada_Lovelace
              Mail: mailto:ada@example.org
            ---
            """,
        "content/organizations/lab.md": "---\nname: The Lab\nfounded: 1840-02-03\n---\n",
        "content/people/ghost.md": "---\nname: Ghost Writer\ndraft: true\n---\n",
        "content/events/meeting.md": """\
            ---
            title: Ada meets Charles
            date: 1833-06-05
            people: [ada, charles, ghost]
            organizations: [society]
            location: London
            ---
            """,
    }
    for rel, text in files.items():
        site.write(rel, text)
    site.build()
    return site


def ld(site, rel):
    (data,) = read_head(site.page(rel)).json_ld
    assert data["@context"] == "https://schema.org"
    return data


def test_a_person_with_current_past_and_undated_ties(built):
    data = ld(built, "people/ada/index.html")
    assert data["@type"] == "Person"
    assert data["name"] == "Ada Lovelace"
    assert data["url"] == "https://example.org/people/ada/"
    assert data["jobTitle"] == "Analyst"
    assert data["description"] == "Wrote the first program."
    org = "https://example.org/organizations/"
    assert data["alumniOf"] == [
        {"@type": "Organization", "name": "Engine Company", "url": org + "engine-co/"}
    ]
    assert data["worksFor"] == [
        {"@type": "Organization", "name": "Royal Society", "url": org + "society/"}
    ]
    assert data["affiliation"] == [
        {"@type": "Organization", "name": "The Lab", "url": org + "lab/"}
    ]
    assert data["sameAs"] == ["https://en.wikipedia.org/wiki/Ada_Lovelace"]


def test_an_organization_keeps_its_founding_date_at_the_precision_written(built):
    engine = ld(built, "organizations/engine-co/index.html")
    assert engine["@type"] == "Organization"
    assert engine["foundingDate"] == "1834-06"
    assert engine["url"] == "https://example.com/engine"  # its own website
    assert engine["founder"] == [
        {"@type": "Person", "name": "Charles Babbage", "url": "https://example.org/people/charles/"}
    ]
    assert ld(built, "organizations/society/index.html")["foundingDate"] == "1660"
    lab = ld(built, "organizations/lab/index.html")
    assert lab["foundingDate"] == "1840-02-03"
    assert lab["url"] == "https://example.org/organizations/lab/"  # no website: its page


def test_an_event_with_dates_place_performers_and_organizers(built):
    meeting = ld(built, "events/meeting/index.html")
    assert meeting["@type"] == "Event"
    assert meeting["startDate"] == "1833-06-05"
    assert "endDate" not in meeting
    assert meeting["location"] == {"@type": "Place", "name": "London"}
    assert meeting["performer"] == [
        {"@type": "Person", "name": "Ada Lovelace", "url": "https://example.org/people/ada/"},
        {
            "@type": "Person",
            "name": "Charles Babbage",
            "url": "https://example.org/people/charles/",
        },
        {"@type": "Person", "name": "Ghost Writer"},  # a draft: named, not linked
    ]
    assert meeting["organizer"] == [
        {
            "@type": "Organization",
            "name": "Royal Society",
            "url": "https://example.org/organizations/society/",
        }
    ]
    designed = ld(built, "events/engine-designed/index.html")
    assert (designed["startDate"], designed["endDate"]) == ("1837", "1838-02")


def test_a_free_page_is_a_web_page(built):
    about = ld(built, "about/index.html")
    assert about["@type"] == "WebPage"
    assert (about["name"], about["url"]) == ("About", "https://example.org/about/")


def test_the_home_page_describes_the_website(built):
    home = ld(built, "index.html")
    assert home["@type"] == "WebSite"
    assert home["name"] == "Test Site"
    assert home["url"] == "https://example.org/"


def test_no_text_can_close_the_script_element(make_site):
    evil = "</script><script>alert(1)</script><!-- & 'x'"
    site = make_site(
        {"content/people/charles.md": f'---\nname: {evil!r}\nrole: "</SCRIPT >"\n---\n'}
    )
    site.build()
    head = read_head(site.page("people/charles/index.html"))
    (data,) = head.json_ld
    assert data["name"] == evil
    assert data["jobTitle"] == "</SCRIPT >"
    (script,) = [s for s in head.scripts if '"@context"' in s]
    assert "<" not in script and ">" not in script
