from lgcb.model import Plan


def test_shipped_plan_loads(plan: Plan) -> None:
    assert [o.number for o in plan.objectives] == [1, 2, 3, 4, 5, 6, 7, 8]
