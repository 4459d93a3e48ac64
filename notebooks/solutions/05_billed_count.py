billed = sum(1 for entry in slow_client.simulator.log if entry.status == 200)
