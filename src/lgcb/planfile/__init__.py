"""planfile"""
