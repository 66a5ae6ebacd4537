// frontend serves one page that lists the items bff returns.
package main

import (
	"log"
	"net/http"
	"os"
)

const page = `<!doctype html><title>shop</title><h1>shop</h1><ul id="items"></ul>
<script>
fetch(BFF + "/api/items").then(r => r.json()).then(items => {
  document.getElementById("items").innerHTML = items.map(i => "<li>" + i.name + "</li>").join("");
});
</script>`

func main() {
	bff := os.Getenv("BFF_PUBLIC_URL")
	if bff == "" {
		bff = "http://localhost:8080"
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) })
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<script>const BFF = \"" + bff + "\";</script>" + page))
	})
	log.Println("frontend listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
