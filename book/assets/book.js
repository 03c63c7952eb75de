// Search for Chinese words, in both editions.
//
// mdBook's search index has no Chinese words: it splits text at spaces, and its English
// pipeline then trims every character outside a-z and 0-9 from the ends of each word, so a run
// of Chinese text leaves nothing behind. The index does keep each section's text, for the
// result teasers. So a query with a word outside ASCII (进程池) is answered here by finding the
// words in that text, title first; every other query goes to the index as before.
(function () {
    'use strict';
    if (typeof elasticlunr === 'undefined') {
        return;
    }
    const count = function (text, word) {
        return text ? text.toLowerCase().split(word).length - 1 : 0;
    };
    const load = elasticlunr.Index.load;
    elasticlunr.Index.load = function (serialised) {
        const index = load.call(this, serialised);
        const search = index.search.bind(index);
        index.search = function (query, options) {
            const words = String(query).toLowerCase().split(/\s+/).filter(Boolean);
            if (!words.some(word => /[^\x00-\x7f]/.test(word))) {
                return search(query, options);
            }
            const docs = index.documentStore.docs;
            const results = [];
            for (const ref of Object.keys(docs)) {
                const doc = docs[ref];
                let score = 0;
                // Every word must occur, as the index's own AND search would have it.
                const all = words.every(function (word) {
                    const hits = 2 * count(doc.title, word) + count(doc.body, word);
                    score += hits;
                    return hits > 0;
                });
                if (all) {
                    results.push({ref: ref, score: score, doc: doc});
                }
            }
            return results.sort((a, b) => b.score - a.score);
        };
        return index;
    };
})();
