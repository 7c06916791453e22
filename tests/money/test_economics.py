"""The cost arithmetic against hand-computed cases, one small test per lever."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from promptaudit.money import economics as econ
from promptaudit.money.levers import Case, Plan, Priced, Routing, rates_for, savings
from promptaudit.money.pricing import ModelPrice
from promptaudit.money.providers import CacheRules, ModelFacts, facts_for
from promptaudit.money.volume import Volume

GPT4O = ModelPrice("gpt-4o", "gpt-4o", "openai", D("2.5"), D("10"), D("1.25"), None, None, D("1.25"), D("5"))
OPENAI = CacheRules(1024, 128, 300, D(1), D("0.5"))
ANTHROPIC = CacheRules(1024, 1, 300, D("1.25"), D("0.1"))
RATES = econ.Rates(D("2.5"), D("10"), D("1.25"), D("2.5"), D("1.25"), D("5"))


def work(prompt=2000, prefix=2000, user=0, output=0, per_day=10_000) -> econ.Workload:
    return econ.Workload(prompt, prefix, user, output, D(per_day))


def test_two_thousand_tokens_at_ten_thousand_a_day_is_twenty_million_tokens_fifty_dollars():
    # 2,000 x 10,000 = 20,000,000 input tokens a day; at $2.50/M that is $50.00 a day
    assert econ.daily_cost(work(), RATES, OPENAI) == D("50")


def test_trimming_2900_tokens_at_500k_a_month_saves_3625_dollars():
    volume = Volume(D(500_000) / 30)
    assert D(2900) * volume.requests_per_month == D(1_450_000_000)
    assert econ.monthly_cost_of_tokens(2900, GPT4O, volume).quantize(D("0.01")) == D("3625.00")
    assert econ.monthly_cost_of_tokens(2900, GPT4O, Volume(D(500_000), D(1))) == D("3625")


def test_trim_lever_through_savings_rows_gives_the_same_3625():
    case = Case(work(prompt=5000, prefix=0, per_day=D(500_000) / 30), Priced("gpt-4o", RATES, OPENAI))
    rows = {r.lever: r for r in savings([case], Plan(trim_tokens=(2900,)))}
    assert (rows["trimming"].daily * 30).quantize(D("0.01")) == D("3625.00")


@pytest.mark.parametrize(
    "prefix, rules, expected",
    [
        (1023, OPENAI, 0),  # below OpenAI's 1,024 minimum: nothing cached
        (1024, OPENAI, 1024),
        (1151, OPENAI, 1024),  # 128-token steps
        (1152, OPENAI, 1152),
        (1023, ANTHROPIC, 0),
        (1500, ANTHROPIC, 1500),  # Anthropic caches the exact prefix
        (5000, None, 0),  # unknown provider
    ],
)
def test_cacheable_tokens(prefix, rules, expected):
    assert econ.cacheable_tokens(prefix, rules) == expected


@pytest.mark.parametrize(
    "model, provider, minimum, increment",
    [
        ("gpt-4o", "openai", 1024, 128),
        ("gpt-4o-2024-08-06", "openai", 1024, 128),
        ("claude-sonnet-4-5", "anthropic", 1024, 1),
        ("claude-opus-4-5", "anthropic", 4096, 1),
        ("claude-haiku-4-5-20251001", "anthropic", 4096, 1),
        ("claude-3-5-haiku", "anthropic", 2048, 1),
        ("claude-opus-5", "anthropic", 512, 1),
        ("gemini-2.5-flash", "google", 2048, 1),
        ("gemini-3-pro-preview", "google", 4096, 1),
    ],
)
def test_cache_minimums_per_provider_and_model(model, provider, minimum, increment):
    rules = facts_for(model, provider).cache
    assert (rules.min_tokens, rules.increment) == (minimum, increment)


def test_tokens_short_of_minimum():
    assert econ.tokens_short(800, OPENAI) == 224
    assert econ.tokens_short(2000, OPENAI) == 0


def test_modelled_hit_rate_is_one_minus_exp_of_rate_times_ttl():
    # 288 requests a day = one per 300 s; TTL 300 s -> 1 - e^-1
    assert econ.modelled_hit_rate(D(288), 300).quantize(D("0.000001")) == D("0.632121")
    assert econ.modelled_hit_rate(D(10_000_000), 300) > D("0.999999")


def test_caching_with_full_hits_charges_the_cached_rate_on_openai():
    levers = econ.Levers(caching=True, hit_rate=D(1))
    # 1,920 of 2,000 tokens cached at $1.25, 80 at $2.50: (1920*1.25 + 80*2.5)/1e6
    assert econ.request_cost(work(), RATES, OPENAI, levers) == D("0.0026")


def test_anthropic_misses_pay_the_write_premium():
    rates = econ.Rates(D(3), D(15), D("0.3"), D("3.75"), D("1.5"), D("7.5"))
    levers = econ.Levers(caching=True, hit_rate=D("0.5"))
    # 2,000 cached tokens: half the requests read at 0.30, half write at 3.75 -> 2000 * 2.025 / 1e6
    assert econ.request_cost(work(), rates, ANTHROPIC, levers) == D("0.00405")


def test_caching_at_low_volume_on_anthropic_costs_more_than_it_saves():
    rates = econ.Rates(D(3), D(15), D("0.3"), D("3.75"), D("1.5"), D("7.5"))
    case = Case(work(per_day=10), Priced("claude", rates, ANTHROPIC))
    assert savings([case], Plan())[0].daily < 0


def test_batch_share_pays_batch_prices_on_that_share():
    levers = econ.Levers(batch_share=D("0.5"))
    # 2,000 input + 500 output: interactive 0.01; batch 0.005; half and half
    assert econ.request_cost(work(output=500), RATES, OPENAI, levers) == D("0.0075")


def test_batch_row_with_zero_share_shows_all_traffic_labelled():
    case = Case(work(), Priced("gpt-4o", RATES, OPENAI))
    rows = savings([case], Plan())
    row = next(r for r in rows if r.lever == "batch")
    note = "what-if: if all traffic could wait 24 h (--batch-share)"
    assert (row.daily, row.percent, row.note, row.in_all) == (D(25), D(50), note, False)
    assert "batch" in rows[-1].excludes and "batch" not in rows[-1].includes


def test_all_levers_names_what_it_pulls_and_what_it_leaves_out():
    case = Case(work(), Priced("gpt-4o", RATES, OPENAI))
    everything = savings([case], Plan(batch_share=D("0.3")))[-1]
    assert (everything.includes, everything.excludes) == (("caching", "batch"), ())
    assert everything.note.startswith("caching + Batch API together")


def test_output_cap_saves_the_output_above_the_cap():
    levers = econ.Levers(max_output=300)
    assert econ.request_cost(work(prompt=0, prefix=0, output=500), RATES, OPENAI, levers) == D("0.003")


def test_routed_cost_formula():
    # 0.6 * (1 + 0.1 * 10) + 0.4 * 10 = 5.2
    assert econ.routed_cost(D(10), D(1), D("0.6"), D("0.1")) == D("5.2")


@pytest.mark.parametrize(
    "strong, cheap, expected",
    [(D(10), D(1), D("0.9")), (D("2.5"), D("0.15"), D("0.94")), (D(1), D(2), D(0)), (D(0), D(0), D(0))],
)
def test_break_even_fallback_rate(strong, cheap, expected):
    assert econ.break_even_fallback(strong, cheap) == expected


def test_routing_at_the_break_even_fallback_saves_nothing():
    strong, cheap = D(10), D(1)
    fallback = econ.break_even_fallback(strong, cheap)
    assert econ.routed_cost(strong, cheap, D("0.7"), fallback) == strong


def test_routing_row_reports_break_even():
    cheap_rates = econ.Rates(D("0.25"), D(1), D("0.125"), D("0.25"), D("0.125"), D("0.5"))
    strong = Case(work(prefix=0), Priced("gpt-4o", RATES, OPENAI))
    cheap = Case(work(prefix=0), Priced("mini", cheap_rates, OPENAI))
    plan = Plan(routing=Routing("mini", D("0.5"), D(0)))
    row = next(r for r in savings([strong], plan, [cheap]) if r.lever == "routing")
    assert (row.daily, row.break_even_fallback) == (D("22.5"), D("0.9"))


def test_all_levers_is_one_combined_scenario_not_a_sum():
    case = Case(work(output=500), Priced("gpt-4o", RATES, OPENAI))
    rows = savings([case], Plan(hit_rate=D(1), batch_share=D(1), max_output=250))
    combined = rows[-1]
    assert combined.lever == "all"
    assert combined.daily < sum(r.daily for r in rows[:-1])
    # 1,920 cached at 1.25 + 80 at batch 1.25 + 250 output at batch 5, per request, x 10,000
    assert combined.daily == D(100) - D("10000") * (D(1920 * 1.25 + 80 * 1.25 + 250 * 5) / 1_000_000)


def test_each_prompt_is_capped_at_its_own_max_tokens_unless_one_cap_is_given():
    cases = [Case(work(output=500, per_day=1000), Priced("gpt-4o", RATES, OPENAI)) for _ in range(3)]
    per_file = next(r for r in savings(cases, Plan(declared_caps=(300, None, 400))) if r.lever == "output_cap")
    # (200 + 0 + 100) output tokens saved x 1,000 requests at $10/M
    assert (per_file.daily, per_file.note) == (D(3), "output capped at each file's max_tokens")
    one_cap = Plan(max_output=450, declared_caps=(300, None, 400))
    row = next(r for r in savings(cases, one_cap) if r.lever == "output_cap")
    assert (row.daily, row.note) == (D("1.5"), "output capped at 450 tokens")
    assert "output_cap" not in [r.lever for r in savings(cases, Plan(declared_caps=(None, None, None)))]


def test_hit_rate_from_token_share():
    assert econ.hit_rate_from_token_share(0.4, 2500, 2000) == D("0.5")
    assert econ.hit_rate_from_token_share(0.9, 2500, 2000) == D(1)
    assert econ.hit_rate_from_token_share(0.5, 2500, 0) == D(0)


def test_rates_fill_gaps_from_provider_facts():
    facts = ModelFacts("x", "anthropic", ANTHROPIC, D("0.5"), batch_cache_discount=True)
    bare = ModelPrice("x", "x", "anthropic", D(4), D(20))
    derived_batch = (D(2), D(10), D("0.2"), D("2.5"))  # Anthropic's batch discount stacks on cache reads and writes
    assert rates_for(bare, facts) == econ.Rates(D(4), D(20), D("0.4"), D("5.00"), *derived_batch)


def test_openai_batch_keeps_the_standard_cached_rate_without_a_source_batch_cache_price():
    facts = ModelFacts("x", "openai", ANTHROPIC, D("0.5"), batch_cache_discount=False)
    price = ModelPrice(
        "x", "x", "openai", D(2), D(8), cache_read_mtok=D("0.5"), batch_input_mtok=D(1), batch_output_mtok=D(4)
    )
    rates = rates_for(price, facts)
    assert (rates.batch_input, rates.batch_cache_read) == (D(1), D("0.5"))


def test_percent_of():
    assert econ.percent_of(D(25), D(100)) == D(25)
    assert econ.percent_of(D(1), D(0)) == D(0)
