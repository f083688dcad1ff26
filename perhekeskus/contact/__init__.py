"""Anonymous contact (issue 11): a family asks a service, meeting place or organisation; its professionals answer.

- ``models``: the question and its short thread, stored encrypted (``crypto``), the reply code only as a hash
  (``codes``), and an audit log of every staff read, answer and deletion;
- ``delivery``: the outbox — a question is stored with its notification pending in one transaction, published after
  commit without ever failing the family's request, swept again while pending, and notified at most once.
"""
