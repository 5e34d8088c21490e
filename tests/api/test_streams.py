"""2.7 Preview URLs for cameras and NVR channels."""

import pytest

from custom_components.reolink_http.api import ReolinkClient


@pytest.fixture
def client() -> ReolinkClient:
    return ReolinkClient("192.168.0.206", "admin", "p@ss:w/rd", session=None)  # type: ignore[arg-type]


def test_rtsp_numbers_channels_from_01(client: ReolinkClient) -> None:
    assert client.stream_url(0) == "rtsp://admin:p%40ss%3Aw%2Frd@192.168.0.206:554/Preview_01_main"
    assert client.stream_url(2, "sub").endswith(":554/Preview_03_sub")
    assert client.stream_url(15, "ext").endswith("/Preview_16_ext")


def test_rtmp_numbers_channels_from_0(client: ReolinkClient) -> None:
    assert client.stream_url(2, "main", "rtmp") == (
        "rtmp://192.168.0.206/bcs/channel2_main.bcs?channel=2&stream=0"
        "&user=admin&password=p%40ss%3Aw%2Frd"
    )
    assert "channel0_sub.bcs?channel=0&stream=1&" in client.stream_url(0, "sub", "rtmp")
    assert "channel1_ext.bcs?channel=1&stream=0&" in client.stream_url(1, "ext", "rtmp")


def test_flv_uses_the_web_scheme_and_port(client: ReolinkClient) -> None:
    assert client.stream_url(2, "main", "flv") == (
        "https://192.168.0.206/flv?port=1935&app=bcs&stream=channel2_main.bcs"
        "&user=admin&password=p%40ss%3Aw%2Frd"
    )
    plain = ReolinkClient("cam", "u", "p", session=None, use_https=False, port=8080)  # type: ignore[arg-type]
    assert plain.stream_url(0, "sub", "flv").startswith("http://cam:8080/flv?port=1935&")
    assert "stream=channel0_sub.bcs" in plain.stream_url(0, "sub", "flv")
