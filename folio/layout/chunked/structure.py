"""One structure tree (tagged PDF) from the chunks' trees.

WeasyPrint tags each chunk as PDF/UA: a StructTreeRoot over one /Document element, and a
ParentTree keyed by each page's /StructParents (its marked content) and each link
annotation's /StructParent. The stitched file has one /Document whose kids are every
chunk's kids in order, and one ParentTree whose keys are renumbered page by page. IDTrees
(structure element ids) are merged too. The chunks' pages must already be in the file: the
trees are copied after them, so that their /Pg and /Obj references land on those pages."""
from __future__ import annotations

import pikepdf


class Tree:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        root = pdf.Root.StructTreeRoot
        self.document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        self.root = root
        self.kids: list = []
        self.nums: list = []
        self.ids: list = []
        self.next_key = 0

    def add(self, source: pikepdf.Pdf, pages: list) -> None:
        """Take in one chunk's tree. `pages`: the stitched file's copies of its pages, in order."""
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            return
        copied = root if source is self.pdf else self.pdf.copy_foreign(root)
        document = copied.K[0] if isinstance(copied.K, pikepdf.Array) else copied.K
        self.kids += list(document.K)
        entries = _nums(copied.ParentTree)
        renumber = {}
        for page in pages:
            if "/StructParents" in page:
                renumber[int(page.StructParents)] = self.next_key
                page.StructParents = self.next_key
                self.next_key += 1
        for page in pages:
            for annotation in page.get("/Annots", ()):
                if "/StructParent" in annotation:
                    renumber[int(annotation.StructParent)] = self.next_key
                    annotation.StructParent = self.next_key
                    self.next_key += 1
        self.nums += sorted((renumber[key], value) for key, value in entries if key in renumber)
        if "/IDTree" in copied:
            self.ids += _names(copied.IDTree)

    def finish(self) -> None:
        for kid in self.kids:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = self.document
        self.document.K = pikepdf.Array(self.kids)
        flat = pikepdf.Array()
        for key, value in sorted(self.nums, key=lambda item: item[0]):
            flat.append(key)
            flat.append(value)
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=flat))
        self.root.ParentTreeNextKey = self.next_key
        if self.ids:
            names = pikepdf.Array()
            for key, value in sorted(self.ids, key=lambda item: bytes(item[0])):
                names.append(key)
                names.append(value)
            self.root.IDTree = self.pdf.make_indirect(pikepdf.Dictionary(Names=names))


def _nums(tree) -> list:
    """(key, value) of a number tree, its /Kids followed."""
    out = []
    if "/Nums" in tree:
        items = list(tree.Nums)
        out += [(int(items[i]), items[i + 1]) for i in range(0, len(items), 2)]
    for kid in tree.get("/Kids", ()):
        out += _nums(kid)
    return out


def _names(tree) -> list:
    out = []
    if "/Names" in tree:
        items = list(tree.Names)
        out += [(items[i], items[i + 1]) for i in range(0, len(items), 2)]
    for kid in tree.get("/Kids", ()):
        out += _names(kid)
    return out
