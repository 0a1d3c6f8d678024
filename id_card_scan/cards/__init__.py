"""Rules for Vietnamese identity cards: MRZ, ID numbers, province codes and card payloads."""
