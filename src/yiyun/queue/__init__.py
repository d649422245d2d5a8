"""Queue: the day-of-visit waiting queue (签到/候诊/叫号) of each doctor session."""
