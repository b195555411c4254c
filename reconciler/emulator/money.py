"""Money as MTurk handles it: CurrencyAmount strings in, integer cents stored, fees half-up.

Fees (requester.mturk.com/pricing): 20 % of the reward, 20 % more on the reward when the HIT has
10 or more assignments, 5 % more with a Masters requirement, at least $0.01 per assignment; 20 %
of a bonus, at least $0.01. Rounded half-up to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
BASE_FEE = Decimal("0.20")
LARGE_HIT_FEE = Decimal("0.20")
MASTERS_FEE = Decimal("0.05")
LARGE_HIT_THRESHOLD = 10
MINIMUM_FEE_CENTS = 1


def parse_cents(amount: str) -> int:
    """Cents in a CurrencyAmount string already checked against its pattern ("0.5" → 50)."""
    return int((Decimal(amount) / CENT).to_integral_value(rounding=ROUND_HALF_UP))


def format_cents(cents: int) -> str:
    """The CurrencyAmount string of `cents`, always with two decimals (50 → "0.50")."""
    return str(to_decimal(cents))


def to_decimal(cents: int) -> Decimal:
    """Dollars as a Decimal with two places."""
    return (Decimal(cents) * CENT).quantize(CENT)


def _fee(amount_cents: int, rate: Decimal) -> int:
    fee = (Decimal(amount_cents) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(int(fee), MINIMUM_FEE_CENTS)


def assignment_fee_cents(reward_cents: int, max_assignments: int, masters: bool) -> int:
    """MTurk's commission on one approved assignment."""
    rate = BASE_FEE
    if max_assignments >= LARGE_HIT_THRESHOLD:
        rate += LARGE_HIT_FEE
    if masters:
        rate += MASTERS_FEE
    return _fee(reward_cents, rate)


def bonus_fee_cents(bonus_cents: int) -> int:
    """MTurk's commission on one bonus payment."""
    return _fee(bonus_cents, BASE_FEE)
