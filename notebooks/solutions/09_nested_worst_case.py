requests_per_call = 3 * (3 + 1)  # tenacity attempts x SDK attempts
worst_case_s = requests_per_call * 45
