import scamlens


def test_public_api_is_exactly_all() -> None:
    for name in scamlens.__all__:
        assert getattr(scamlens, name) is not None
    assert callable(scamlens.analyze) and callable(scamlens.load_chat)
    assert callable(scamlens.score_text) and callable(scamlens.load_chats)
