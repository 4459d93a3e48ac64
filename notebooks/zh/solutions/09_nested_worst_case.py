requests_per_call = 3 * (3 + 1)  # tenacity 的尝试次数 × SDK 的尝试次数
worst_case_s = requests_per_call * 45
