# Every "PEC rules §n" the code and the docs cite must be a section of docs/pec-rules.md, so each citation
# resolves inside the repository (issue 16 §6). Used by scripts/test; also run by itself:
#   bash -c '. scripts/lib/pec-rules.sh && check_pec_rules_cited'

# pec_rules_cited: print each section number cited (ranges like §1–§5 expanded), one per line, sorted.
pec_rules_cited() {
    grep -rhoE 'PEC rules §[0-9]+((–|-| and |, )§[0-9]+)*' \
        --include='*.rs' --include='*.md' --include='*.ts' --include='*.svelte' --include='*.sh' \
        --exclude-dir=target --exclude-dir=node_modules --exclude-dir=dist \
        crates src-tauri/src tests ui/src scripts docs README.md ARCHITECTURE.md 2>/dev/null |
        sed -E 's/^PEC rules //' |
        while read -r citation; do
            # "§1–§5" → 1 2 3 4 5; "§1 and §7" → 1 7
            local parts
            parts=$(sed -E 's/§([0-9]+)(–|-)§([0-9]+)/\1..\3/g; s/§//g; s/ and |, / /g' <<<"$citation")
            local p
            for p in $parts; do
                if [[ $p == *..* ]]; then
                    seq "${p%..*}" "${p#*..}"
                else
                    echo "$p"
                fi
            done
        done | sort -n -u
}

# check_pec_rules_cited: fail naming every cited section docs/pec-rules.md lacks.
check_pec_rules_cited() {
    local missing=()
    local n
    for n in $(pec_rules_cited); do
        grep -qE "^## §$n " docs/pec-rules.md || missing+=("§$n")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "error: the code cites PEC rules ${missing[*]}, which docs/pec-rules.md does not have" >&2
        return 1
    fi
    echo "every PEC rules section cited is in docs/pec-rules.md: $(pec_rules_cited | tr '\n' ' ')"
}
