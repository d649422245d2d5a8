"""Real-name patients (就诊人): the people an account books and consults for, with their relationship."""
