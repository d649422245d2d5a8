from yiyun.core.money import format_yuan, yuan


def test_fen_become_exact_yuan():
    assert [yuan(v) for v in (0, 1, 99, 100, 12345, -50, -12345)] == [
        "0.00", "0.01", "0.99", "1.00", "123.45", "-0.50", "-123.45"]
    assert format_yuan(2000) == "¥20.00"
