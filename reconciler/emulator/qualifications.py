"""(operations added next)"""
