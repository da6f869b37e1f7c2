"""Write cut.txt, the corpus of word2vec_c_cut_words.bin (see README.md): short words plus
tokens longer than the 98 bytes word2vec.c keeps of a word."""
import random

rng = random.Random(0)
long_tokens = {  # token: how many times it occurs
    "ñ" * 60: 9,            # cut after 49 whole "ñ": still valid UTF-8
    "a" + "ñ" * 60: 8,      # cut between the two bytes of an "ñ"
    "x" + "€" * 40: 6,      # cut inside a three-byte "€"
}
# "a" + 48 "ñ" is also the valid part of the second long token once cut: with
# unicode_errors="ignore" the two words become equal
plain = ["el", "la", "de", "que", "y", "rey", "reina", "niño", "año", "a" + "ñ" * 48]
lines = [[rng.choice(plain) for _ in range(12)] for _ in range(60)]
for token, count in long_tokens.items():
    for k in range(count):
        lines[(7 * k + count) % len(lines)].insert(3, token)
with open("cut.txt", "w", encoding="utf-8") as file:
    file.write("".join(" ".join(line) + "\n" for line in lines))
