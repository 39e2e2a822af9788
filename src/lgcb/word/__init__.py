"""word"""
