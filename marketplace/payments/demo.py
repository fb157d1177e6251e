"""Demo data for payments: settlement accounts for the suppliers."""
BANKS = ("中国农业银行西藏分行营业部", "中国银行拉萨分行", "西藏银行林芝分行", "中国建设银行日喀则分行")


def seed(ctx):
    """Give every demo supplier a settlement account (shown to buyers paying by transfer)."""
    for number, supplier in enumerate(ctx.get("suppliers", []), start=1):
        supplier.settlement_bank = supplier.settlement_bank or BANKS[number % len(BANKS)]
        supplier.settlement_account = (supplier.settlement_account
                                       or f"6228 4801 {number:04d} 0000 {number * 7:04d}")
        supplier.settlement_account_name = supplier.settlement_account_name or supplier.name
