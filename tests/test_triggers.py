"""Event-trigger suggestions: the affix derivation, each lexicon rule on invented sentences (and the words it
must leave alone), a lexicon of the user's own, and the triggers as the store and the annotate screen get them."""
from __future__ import annotations

import pytest

from annotations.affixes import AffixError, derive
from annotations.errors import TandaiError
from annotations.pretag import build_pipeline, tag_documents
from annotations.scheme import load_scheme
from annotations.store import Store
from annotations.trigger_lexicon import default_lexicon, parse_lexicon
from tui_fixtures import anyio_backend, isolated_config, quick_pilot  # noqa: F401  (fixtures)
from tui_fixtures import make_app, press, query, screen_text, spans_of, status_line


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def triggers(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans.get("event", [])]


# -- deriving words from roots ------------------------------------------------------------------


@pytest.mark.parametrize("root, pattern, words", [
    ("serang", "meN-", ["menyerang"]),  # s before a vowel: ny, the s drops
    ("tembak", "meN--i", ["menembaki"]),  # t drops
    ("pukul", "meN-", ["memukul"]),  # p drops
    ("kirim", "meN-", ["mengirim"]),  # k drops
    ("ancam", "meN-", ["mengancam"]),  # a vowel: ng
    ("bunuh", "meN-", ["membunuh"]),  # b stays: m
    ("desak", "meN-", ["mendesak"]),  # d stays: n
    ("gempur", "meN-", ["menggempur"]),  # g stays: ng
    ("hantam", "meN-", ["menghantam"]),
    ("langgar", "meN-", ["melanggar"]),  # l, r, m, n, w, y: me- alone
    ("rebut", "meN-", ["merebut"]),
    ("protes", "meN-", ["memprotes"]),  # p before a consonant stays
    ("kritik", "meN-", ["mengkritik"]),
    ("bom", "meN-", ["mengebom", "membom"]),  # one syllable: menge- first, the assimilated form too
    ("bom", "peN--an", ["pengeboman", "pemboman"]),
    ("serang", "peN--an", ["penyerangan"]),
    ("runding", "peN--an", ["perundingan"]),
    ("temu", "per--an", ["pertemuan"]),
    ("runding", "ber-", ["berunding"]),  # ber- before r: be-
    ("temu", "ber-", ["bertemu"]),
    ("serang", "di-", ["diserang"]),
    ("bunuh", "ter-", ["terbunuh"]),
    ("serang", "-an", ["serangan"]),
    ("ledak", "meN--kan", ["meledakkan"]),
    ("mati", "ke--an", ["kematian"]),
    ("serang", "", ["serang"]),
    ("gencat senjata", "-an", ["gencatan senjata"]),  # several words: the affixes go on the first
    ("tukar tahanan", "per--an", ["pertukaran tahanan"]),
    ("ingat", "memper--kan", ["memperingatkan"]),  # memper-, diper-: prefixes on per-
    ("panjang", "diper-", ["diperpanjang"]),
])
def test_derive_makes_each_affix_class(root, pattern, words):
    assert derive(root, pattern) == words


@pytest.mark.parametrize("pattern", ["me-", "-nya", "meN", "meN--an--i", "xx--an"])
def test_derive_refuses_unknown_patterns(pattern):
    with pytest.raises(AffixError):
        derive("serang", pattern)


# -- the default lexicon on invented sentences --------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Pasukan itu menyerang pos perbatasan pada malam hari.", [("menyerang", "ATTACK")]),
    ("Pos perbatasan diserang dua kali pekan ini.", [("diserang", "ATTACK")]),
    ("Serangan itu merusak jembatan.", [("Serangan", "ATTACK")]),
    ("Penyerangan terhadap konvoi bantuan dikecam.", [("Penyerangan", "ATTACK")]),
    ("Milisi menembaki kendaraan sipil.", [("menembaki", "ATTACK")]),
    ("Penembakan terjadi di dekat pasar.", [("Penembakan", "ATTACK")]),
    ("Jet tempur mengebom gudang senjata.", [("mengebom", "ATTACK")]),
    ("Pengeboman gudang itu terdengar jauh.", [("Pengeboman", "ATTACK")]),
    ("Kedua pasukan bertempur di lembah.", [("bertempur", "ATTACK")]),
    ("Kelompok itu meledakkan pipa gas.", [("meledakkan", "ATTACK")]),
    ("Pemberontak Serang Pos Polisi", [("Serang", "ATTACK")]),  # a headline drops meN-
    ("Tembak-menembak berlangsung hingga pagi.", [("Tembak-menembak", "ATTACK")]),
    ("Serangan-serangan itu berlanjut.", [("Serangan-serangan", "ATTACK")]),
    ("Kedua pihak menyepakati gencatan senjata baru.", [("gencatan senjata", "CEASEFIRE")]),
    ("Milisi melanggar gencatan senjata pagi ini.", [("melanggar gencatan senjata", "CEASEFIRE_VIOLATION")]),
    ("Gencatan senjata itu dilanggar dalam hitungan menit.",
     [("Gencatan senjata", "CEASEFIRE"), ("dilanggar", "CEASEFIRE_VIOLATION")]),
    ("Para menteri bertemu di ibu kota.", [("bertemu", "TALKS")]),
    ("Pertemuan kedua delegasi berlangsung tertutup.", [("Pertemuan", "TALKS")]),
    ("Perundingan dilanjutkan esok hari.", [("Perundingan", "TALKS")]),
    ("Kedua delegasi berunding selama enam jam.", [("berunding", "TALKS")]),
    ("Seorang petani tewas dan dua lainnya terluka.", [("tewas", "CASUALTIES"), ("terluka", "CASUALTIES")]),
    ("Ledakan itu menewaskan seorang sopir.", [("menewaskan", "CASUALTIES")]),
    ("Seorang penjaga terbunuh dalam baku tembak.", [("terbunuh", "CASUALTIES"), ("baku tembak", "ATTACK")]),
    ("Kematian wartawan itu diselidiki.", [("Kematian", "CASUALTIES")]),
    ("Pemberontak merebut bandara kecil itu.", [("merebut", "TERRITORY")]),
    ("Tentara menguasai bukit di utara.", [("menguasai", "TERRITORY")]),
    ("Pasukan menarik diri dari kota pelabuhan.", [("menarik diri", "TERRITORY")]),
    ("Kedua pihak sepakat melakukan pertukaran tahanan.", [("pertukaran tahanan", "EXCHANGE")]),
    ("Para tokoh agama mendesak kedua pihak menahan diri.", [("mendesak", "APPEAL")]),
    ("Sekjen menyerukan penghentian kekerasan.", [("menyerukan", "APPEAL")]),
    ("Pemimpin kelompok itu mengancam akan membalas.", [("mengancam", "THREAT")]),
    ("Ancaman itu disampaikan lewat video.", [("Ancaman", "THREAT")]),
    ("Serangannya terjadi saat fajar.", [("Serangannya", "ATTACK")]),  # the clitic -nya
    ("Dua drone ditembak jatuh di atas pelabuhan.", [("ditembak jatuh", "ATTACK")]),  # the verb needs its object
    ("Pesawat itu menjatuhkan bom di dekat sekolah.", [("menjatuhkan bom", "ATTACK")]),
    ("Patroli melepaskan tembakan ke udara.", [("melepaskan tembakan", "ATTACK")]),
    ("Lima nelayan menjadi korban dalam insiden itu.", [("korban", "CASUALTIES")]),  # after "menjadi" only
    ("Jumlah korban tewas bertambah.", [("korban tewas", "CASUALTIES")]),
    ("Pemberontak membebaskan tiga sandera.", [("membebaskan", "EXCHANGE")]),  # near hostages
    ("Pasukan pemerintah mundur dari desa itu.", [("mundur", "TERRITORY")]),  # near troops
    ("Milisi itu membalas serangan tadi pagi.", [("membalas", "ATTACK"), ("serangan", "ATTACK")]),
    ("Militer membantah telah menyerang desa itu.", [("menyerang", "ATTACK")]),  # denied: still marked
    ("Upaya itu gagal, lalu kedua pihak berunding.", [("berunding", "TALKS")]),  # "gagal" ends at the comma
    ("Kelompok itu akan membalas ledakan di pangkalannya.", [("membalas", "THREAT")]),
    ("Mereka siap membalas setiap serangan.", [("membalas", "THREAT")]),  # "setiap serangan": no one attack
    ("Perundingan gencatan senjata berlanjut.", [("Perundingan", "TALKS")]),  # the ceasefire is only its subject
    ("Militer akan melanjutkan serangan ke utara.", [("serangan", "THREAT")]),  # "akan": a threat, not an attack
    ("Palang Merah meminta kedua pihak menahan diri.", [("meminta", "APPEAL")]),  # asks for restraint
    ("Kedua pihak berbicara melalui telepon.", [("berbicara", "TALKS")]),
    ("Selama jeda itu bantuan masuk.", [("jeda", "CEASEFIRE")]),
    ("Dia mengalami luka di kepala.", [("luka", "CASUALTIES")]),
    ("Kedua pihak sepakat menghentikan permusuhan.", [("menghentikan permusuhan", "CEASEFIRE")]),
    ("Penghentian permusuhan berlaku sejak fajar.", [("Penghentian permusuhan", "CEASEFIRE")]),
    ("Korban luka dibawa ke puskesmas.", [("Korban luka", "CASUALTIES")]),
    ("Tentara merebut kembali desa itu.", [("merebut kembali", "TERRITORY")]),
    ("Bom bunuh diri di depan pasar", [("Bom bunuh diri", "ATTACK")]),
    ("Kapal Patroli Tembakkan Meriam Air", [("Tembakkan", "ATTACK")]),  # a headline drops meN-
    ("Militer Klaim Tembak Jatuh Dua Drone", [("Tembak Jatuh", "ATTACK")]),
    ("Pasukan Kepung Kota Pelabuhan", [("Kepung", "ATTACK")]),
    ("Gubernur meminta warga tetap tenang.", [("meminta", "APPEAL")]),  # asks for restraint
    ("Dokter meminta obat-obatan dan bahan bakar.", [("meminta", "APPEAL")]),  # asks for aid
    ("Pertukaran itu melibatkan 200 tawanan.", [("Pertukaran", "EXCHANGE")]),  # near prisoners
    ("Kedua pihak bertukar 90 tahanan.", [("bertukar", "EXCHANGE")]),
    ("Pemberontak Kuasai Bandara Kota", [("Kuasai", "TERRITORY")]),  # a headline drops meN-
    ("Komandan itu memperingatkan bahwa pasukannya akan terus maju.", [("memperingatkan", "THREAT")]),
    ("Polisi menembak mati dua anggota kelompok itu.", [("menembak mati", "CASUALTIES")]),
    ("Seorang penjaga ditembak mati di pos itu.", [("ditembak mati", "CASUALTIES")]),
    ("Pemimpin milisi mengancam akan menyerang lagi.", [("mengancam", "THREAT")]),  # the threatened act: none
    ("Pemimpin milisi mengancam akan menghancurkan pos itu.", [("mengancam", "THREAT")]),  # nor a second threat
    ("Armenia dan Azerbaijan sepakat menghentikan pertempuran.", [("menghentikan pertempuran", "CEASEFIRE")]),
    ("Warga merayakan kesepakatan damai itu.", [("kesepakatan damai", "CEASEFIRE")]),  # a peace deal ends fighting
    ("Kedua negara menandatangani perjanjian damai.", [("perjanjian damai", "CEASEFIRE")]),
    ("Rusia meminta kedua pihak mematuhi gencatan senjata itu.",  # a truce to be kept exists, though asked of
     [("meminta", "APPEAL"), ("gencatan senjata", "CEASEFIRE")]),
    ("Kedua pihak menyelesaikan sengketa itu melalui dialog.", [("dialog", "TALKS")]),  # dialogue held
    ("Para pihak sepakat kembali ke perundingan.", [("perundingan", "TALKS")]),
    ("Presiden berjanji negaranya akan membalas.", [("membalas", "THREAT")]),  # force announced, no attack named
    ("Jenderal itu bersumpah akan menghancurkan kelompok bersenjata itu.", [("menghancurkan", "THREAT")]),
    ("Kami akan membalas jika diserang.", [("membalas", "THREAT")]),  # a threat; the attack under "jika": none
    ("Milisi membalas dengan menembakkan roket.", [("menembakkan", "ATTACK")]),  # the act after "dengan" is it
    ("Ia menyebutnya balas dendam atas serangan itu.", [("serangan", "ATTACK")]),
    ("Dua perempuan meledakkan diri di depan gereja.", [("meledakkan diri", "ATTACK")]),  # the verb needs "diri"
    ("Pasukan melancarkan serangan untuk merebut kota itu.", [("serangan", "ATTACK")]),  # taking it: only an aim
    ("Kota yang direbut pasukan itu pekan lalu kini sepi.", [("direbut", "TERRITORY")]),  # a passive clause: taken
    ("Kota Kherson telah dibebaskan, kata presiden.", [("dibebaskan", "TERRITORY")]),  # a place freed, by its name
    ("Pasukan itu membebaskan dua puluh desa di selatan.", [("membebaskan", "TERRITORY")]),  # near villages
    ("Pasukan itu membebaskan tiga desa, kata juru bicara dari kementerian.",  # "dari" in another clause
     [("membebaskan", "TERRITORY")]),
    ("Pasukan itu telah membebaskan lebih dari 300 desa.", [("membebaskan", "TERRITORY")]),  # "more than"
    ("Tentara membebaskan kota itu dari pendudukan militan.", [("membebaskan", "TERRITORY")]),  # from occupation
    ("Pasukan membebaskan desa itu dari tangan pemberontak.", [("membebaskan", "TERRITORY")]),
    ("Paus mengimbau gencatan senjata di wilayah itu.", [("mengimbau", "APPEAL")]),  # a truce only called for
    ("Seruan gencatan senjata datang dari banyak negara.", [("Seruan", "APPEAL")]),
    ("Desakan gencatan senjata makin kuat.", [("Desakan", "APPEAL")]),
    ("Imbauan gencatan senjata diabaikan.", [("Imbauan", "APPEAL")]),
    ("Militer tidak akan segan-segan menyerang balik.", [("menyerang", "THREAT")]),  # "not hesitate to"
    ("Militer tidak akan ragu-ragu menyerang balik.", [("menyerang", "THREAT")]),
    ("PBB meminta kedua pihak menghormati gencatan senjata itu.",  # a truce to be kept exists
     [("meminta", "APPEAL"), ("gencatan senjata", "CEASEFIRE")]),
    ("Mediator meminta kedua pihak memperpanjang gencatan senjata.",
     [("meminta", "APPEAL"), ("gencatan senjata", "CEASEFIRE")]),
    ("Presiden meminta tentara menjaga gencatan senjata itu.",
     [("meminta", "APPEAL"), ("gencatan senjata", "CEASEFIRE")]),
    ("Seorang penjaga mengalami luka tembak di kaki.", [("luka", "CASUALTIES")]),  # a wound, no shot fired
    ("Penyerahan Kalbajar ditunda sepekan.", [("Penyerahan", "TERRITORY")]),  # the place handed over follows
    ("Aghdam sudah diserahkan kepada Azerbaijan.", [("diserahkan", "TERRITORY")]),  # a passive's subject: before
    ("Armenia Akui Kehilangan Shusha", [("Kehilangan", "TERRITORY")]),
    ("Dengan jatuhnya kota itu, jalur pasokan terputus.", [("jatuhnya", "TERRITORY")]),
    ("Kedua pihak juga menyerahkan jenazah tentara.", [("menyerahkan jenazah", "EXCHANGE")]),
    ("Ratusan tawanan dipulangkan ke negaranya.", [("dipulangkan", "EXCHANGE")]),
    ("Kelompok itu menahan 20 sandera. Mereka dilepas kemarin.", [("dilepas", "EXCHANGE")]),  # the hostages before
    ("Sandera itu dibebaskan dari gua tempat mereka disekap.", [("dibebaskan", "EXCHANGE")]),
    ("Komandan memperingatkan warga agar tidak mendekati pangkalan.", [("memperingatkan", "THREAT")]),
    ("Badan pangan itu meminta tambahan dana dari negara donor.", [("meminta", "APPEAL")]),  # asks for aid
    ("Kementerian itu tidak mengomentari serangan tersebut.", [("serangan", "ATTACK")]),  # "tidak" holds its verb
    ("Delegasi itu tidak ikut dalam perundingan di ibu kota.", [("perundingan", "TALKS")]),
    ("Militer membantah menyerang desa itu.", [("menyerang", "ATTACK")]),  # denied: marked, the denial its modality
    ("Presiden bersumpah membalas serangan itu.",  # a vow of force is a threat; the attack it avenges happened
     [("membalas", "THREAT"), ("serangan", "ATTACK")]),
    ("Israel akan segera menyerang Rafah.", [("menyerang", "THREAT")]),
    ("Hamas menyerahkan empat sandera kepada Palang Merah.", [("menyerahkan", "EXCHANGE")]),  # captives handed back
    ("Jenazah para tawanan direpatriasi pekan lalu.", [("direpatriasi", "EXCHANGE")]),
    ("Pasukan itu menaklukkan kota pelabuhan dalam dua hari.", [("menaklukkan", "TERRITORY")]),
    ("Milisi mengambil kendali atas bandara.", [("mengambil kendali", "TERRITORY")]),
    ("Pasukan asing hengkang dari kota itu.", [("hengkang", "TERRITORY")]),  # forces leave
    ("Menlu itu memohon bantuan kemanusiaan bagi warga.", [("memohon", "APPEAL")]),  # asks for aid
    ("Ia mengingatkan dunia akan nasib para pengungsi.", [("mengingatkan", "APPEAL")]),
    ("Gencatan senjata itu tidak pernah dipatuhi.",  # a negation that says the truce was broken: one span
     [("Gencatan senjata", "CEASEFIRE"), ("tidak pernah dipatuhi", "CEASEFIRE_VIOLATION")]),
    ("Ledakan itu merenggut nyawa tiga orang.", [("merenggut nyawa", "CASUALTIES")]),
    ("Pasukan kami memukul mundur serangan itu.", [("serangan", "ATTACK")]),  # repelled: no retreat
    ("Korea Utara memberikan peringatan keras kepada Amerika Serikat.", [("peringatan", "THREAT")]),
    ("Militer tidak akan segan menyerang balik.", [("menyerang", "THREAT")]),  # "not hesitate to": a threat
    ("Kedua pihak mencapai kesepakatan damai.", [("kesepakatan damai", "CEASEFIRE")]),
    ("Para sandera diserahkan di kota Gaza.", [("diserahkan", "EXCHANGE")]),  # captives before land
    ("Tiga distrik itu wajib dikembalikan Armenia pekan depan.", [("dikembalikan", "TERRITORY")]),  # land: named
    ("Kembalinya Aghdam disambut warga.", [("Kembalinya", "TERRITORY")]),
    ("Serangan Rusia kemarin dapat dikategorikan kejahatan perang.", [("Serangan", "ATTACK")]),  # judged, not possible
    ("Milisi itu bersumpah akan memburu pasukan musuh.", [("memburu", "THREAT")]),  # force spoken of
    ("Kelompok itu akan membalas serangan udara tadi malam.", [("membalas", "THREAT"), ("serangan", "ATTACK")]),
])
def test_each_rule_fires_on_invented_sentences(nlp, text, expected):
    assert triggers(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Menteri itu berbicara pertama kali kepada teman lamanya.",  # menteri, pertama, teman look affixed
    "Dian menemukan serangga di dapur.",  # dian: di- + an; menemukan: temu, but "to find"; serangga
    "Penyerang tim tuan rumah mencetak dua gol.",  # penyerang: an attacker (a striker), not an attack
    "Sasaran program ini adalah petani.",  # sasaran: a target, not the act
    "Ayahnya dirawat karena serangan jantung.",
    "Temuan tim itu diumumkan kemarin.",
    "Pengemudi itu melanggar aturan lalu lintas.",  # a violation only near a ceasefire
    "Wilayah itu dikuasai kelompok yang sama sejak lama.",  # control as a state, not an event
    "Menteri itu mundur dari jabatannya.",  # resigning, not a retreat
    "Para korban dibawa ke puskesmas.",  # a bare "korban" names the victims
    "Warga mendengar tembakan dari arah bukit.",  # shots heard: no attack said to happen
    "Dia membalas surat itu dengan cepat.",  # retaliation only where an attack is spoken of
    "Kota itu dibebaskan dari banjir.",  # set free, but no hostages or prisoners
    "Pemimpin itu meminta maaf kepada warga.",  # asks, but not for peace, restraint or aid
    "Partai itu berhasil merebut kekuasaan.",  # an idiom: seizing power
    "Pasukan itu tidak pernah menyerang desa.",  # negated
    "Kedua pihak menolak untuk gencatan senjata.",  # refused
    "Pasukan itu gagal merebut bukit tersebut.",  # failed
    "Tidak ada serangan malam itu.",  # the negation starts the sentence
    "Jika serangan berlanjut, mereka mengungsi.",  # a condition
    "Belum jelas apakah pasukan akan menarik diri.",  # a question
    "Kedua pihak siap berunding.",  # readiness, not talks
    "Para menteri kembali ke meja perundingan.",  # an idiom
    "Menlu itu mendesak negara sekutu menjatuhkan sanksi baru.",  # sanctions: not an appeal for peace
    "Milisi itu menguasai jembatan tersebut sejak 2019.",  # control that already exists
    "Pabrik itu menghentikan produksi sejak Senin.",  # stopping, but not hostilities
    "Ia meminta izin pulang lebih awal.",  # asks, but not for restraint or aid
    "Pertukaran pelajar itu berlangsung meriah.",  # an exchange, but of no prisoners
    "Petugas memperingatkan warga soal cuaca panas.",  # a warning without a threat of force
    "Pasukan bertahan di gedung terakhir yang mereka kuasai.",  # control a relative clause describes
    "Mereka menjaga pos yang mereka kuasai saat ini.",
    "Geng itu masih menguasainya hingga kini.",  # control that goes on
    "Pasukan itu tidak menyerang desa tersebut.",  # negated
    "Pasukan itu tidak pernah melancarkan serangan ke desa itu.",  # negated across an auxiliary and a light verb
    "Tidak ada laporan baku tembak semalam.",  # nothing happened
    "Tak seorang pun tewas dalam insiden itu.",
    "Mereka akan berangkat jika diserang lagi.",  # a condition
    "Ribuan pengunjuk rasa menyerbu gedung parlemen.",  # protesters storming a building: no attack of the war
    "Perdana menteri didesak mundur oleh oposisi.",  # pressed to resign: no appeal for peace
    "Armenia kehilangan kontak dengan pos itu.",  # losing touch, not land
    "Presiden menyerahkan pemerintahan provinsi kepada gubernur militer.",  # handing over office, not land
    "Rudal jatuh di dekat kota itu.",  # a missile falls; no town does
    "Pesawat yang membawa sandera lepas landas pagi tadi.",  # taking off, not releasing
    "Pemimpin itu memberikan balasan atas surat tersebut.",  # a reply
    "Warga kota itu dibebaskan dari pajak.",  # people set free from a tax, no town taken
    "Pemerintah membebaskan desa itu dari pajak.",  # freed from something: "dari" past the object
    "Pemerintah membebaskan warga desa itu dari pajak.",
    "Pemerintah kota membebaskan pedagang pasar dari pajak.",
    "Bupati membebaskan desa itu dari denda keterlambatan.",
    "Senjata itu bisa menembaki kota dari jauh.",  # a possibility, not an event
    "Hamas menyerahkan dokumen kepada mediator.",  # handing over, but no captives and no land
    "Ia mengingatkan bahwa rapat dimulai pukul delapan.",  # a reminder, not an appeal
    "Presiden berjanji menghancurkan kemiskinan.",  # a vow, but of no force
    "Menteri itu mundur, lalu hengkang dari partainya.",  # resigning and leaving a party: no forces
    "Warga menghadiri peringatan Hari Kemerdekaan.",  # a commemoration, not a warning
    "Sirene peringatan terdengar di kota itu.",
    "Kedua pihak bergerak menuju kesepakatan damai.",  # not reached yet
    "Para pengungsi dikembalikan ke kota asal mereka di wilayah itu.",  # people sent back, no land given back
    "Milisi membebaskan warga desa yang ditahan di gudang.",  # people set free, no town taken
    "Pemerintah mengembalikan pengungsi ke desa mereka.",  # people sent back, no land given back
    "Pemerintah mengembalikan pengungsi ke desa mereka di wilayah itu.",
    "Pemerintah mengembalikan uang itu kepada warga distrik.",  # money given back
    "Pasukan itu mungkin menyerang kota itu besok.",  # a possibility
    "Kelompok itu berpotensi menyerang pangkalan udara.",
    "Ketua itu akan membalas surat dari parlemen.",  # a letter answered, no force
    "Polisi akan memburu pelaku pencurian.",  # police work, no force of war
    "Polisi akan menghancurkan jaringan narkoba.",
    "Para sandera itu sulit lepas dari ingatan tentang penculikan itu.",  # free of a memory, not released
    "Kapal yang membawa para tahanan berhenti di lepas pantai.",  # offshore
    "Pemerintah dituding lepas tangan soal nasib para sandera.",  # washing its hands
    "Pasukan itu berusaha merebut bukit tersebut.",  # an aim, not yet done
    "Pasukan itu berupaya merebut bukit tersebut.",
    "Pasukan itu mencoba merebut bukit tersebut.",
    "Upaya merebut bukit itu memakan waktu.",
    "Pasukan itu ingin merebut bukit tersebut.",
    "Pasukan itu hendak merebut bukit tersebut.",
    "Oposisi menuntut gencatan senjata segera.",  # a truce demanded
    "Warga berharap agar gencatan senjata segera tercapai.",  # hoped for
    "Para demonstran menyerbu kantor gubernur.",  # protesters, no attack of the war
    "Massa menyerbu kantor polisi.",
])
def test_words_that_look_like_triggers_are_left_alone(nlp, text):
    assert triggers(nlp, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Sekjen menyerukan gencatan senjata segera.", [("menyerukan", "APPEAL")]),  # the ceasefire only asked for
    ("Mereka menyerukan dialog.", [("menyerukan", "APPEAL")]),
    ("Uni Eropa mendesak kedua pihak kembali ke perundingan.", [("mendesak", "APPEAL")]),
    ("Para menteri meminta kedua pihak segera menghentikan pertempuran.", [("meminta", "APPEAL")]),
])
def test_what_an_appeal_asks_for_is_no_event_yet(nlp, text, expected):
    assert triggers(nlp, text) == expected


def test_a_word_that_has_its_clitic_is_listed_as_it_is():
    phrases = default_lexicon().phrases
    assert ("kembalinya",) in phrases
    assert not {("kekembalinyaan",), ("kembalinyanya",)} & set(phrases)  # no affix and no second clitic


def test_a_word_may_be_an_event_of_several_labels_by_its_context():
    own = ('[[trigger]]\nlabel = "EXCHANGE"\nroots = ["bebas"]\nforms = ["di--kan"]\nnear = ["sandera"]\n'
           '[[trigger]]\nlabel = "TERRITORY"\nroots = ["bebas"]\nforms = ["di--kan"]\nnear = ["kota"]\n'
           '[[trigger]]\nlabel = "ATTACK"\nroots = ["bebas"]\nforms = ["di--kan"]\n')
    nlp = build_pipeline(triggers=own)
    found = [triggers(nlp, text) for text in ("Sandera itu dibebaskan.", "Kota itu dibebaskan.", "Dia dibebaskan.")]
    assert found == [[("dibebaskan", "EXCHANGE")], [("dibebaskan", "TERRITORY")], [("dibebaskan", "ATTACK")]]
    # a rule that always counts leaves none for a later one: refused, naming both labels
    with pytest.raises(TandaiError, match="'dibebaskan' is both ATTACK and EXCHANGE"):
        parse_lexicon('[[trigger]]\nlabel = "ATTACK"\nroots = ["bebas"]\nforms = ["di--kan"]\n'
                      '[[trigger]]\nlabel = "EXCHANGE"\nroots = ["bebas"]\nforms = ["di--kan"]\nnear = ["sandera"]\n')


def test_a_phrase_wins_over_a_one_word_entity_it_starts_with(nlp):
    doc = nlp("Baku Tembak di Perbatasan Tewaskan Dua Tentara")  # a headline's clash, not the city Baku
    assert [(s.text, s.label_) for s in doc.spans["event"]] == [("Baku Tembak", "ATTACK")]
    assert "Baku" not in [e.text for e in doc.ents]
    doc = nlp("Presiden tiba di Baku, lalu menggelar pertemuan.")  # the city, where no phrase starts
    assert [(e.text, e.label_) for e in doc.ents] == [("Baku", "GPE")]


def test_a_trigger_never_overlaps_an_entity():
    nlp = build_pipeline()
    nlp.get_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "Front Serangan Rakyat"}])
    doc = nlp("Front Serangan Rakyat menyerang pos itu.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Front Serangan Rakyat", "ORG")]
    assert [(s.text, s.label_) for s in doc.spans["event"]] == [("menyerang", "ATTACK")]


def test_every_lexicon_label_is_an_event_label_of_the_default_scheme():
    assert default_lexicon().labels == set(load_scheme().layer("event").label_names)


# -- a lexicon of one's own ---------------------------------------------------------------------


def test_a_lexicon_of_ones_own_replaces_the_default():
    nlp = build_pipeline(triggers='[[trigger]]\nlabel = "PROTEST"\nroots = ["demo"]\nforms = ["", "ber-"]\n')
    doc = nlp("Ribuan mahasiswa berdemo setelah pasukan menyerang kampus.")
    assert [(s.text, s.label_) for s in doc.spans["event"]] == [("berdemo", "PROTEST")]
    assert "event" not in build_pipeline(triggers="")(doc.text).spans  # no lexicon: no triggers


def test_near_words_earlier_in_the_article_count_where_the_lexicon_says_so(nlp):
    # "Pertukaran ini" refers back to the prisoners (data/triggers.toml: near_earlier)
    assert triggers(nlp, "Kedua pihak membebaskan 300 tahanan. Pertukaran ini berjalan lancar.") == [
        ("membebaskan", "EXCHANGE"), ("Pertukaran", "EXCHANGE")]
    # not from later in the article, and not where a rule does not say so
    assert triggers(nlp, "Pertukaran ini berjalan lancar. Kedua pihak membebaskan 300 tahanan.") == [
        ("membebaskan", "EXCHANGE")]
    assert ("melanggar", "CEASEFIRE_VIOLATION") not in triggers(
        nlp, "Gencatan senjata berlaku. Pengemudi itu melanggar aturan lalu lintas.")


@pytest.mark.parametrize("text, message", [
    ('[[trigger]]\nroots = ["serang"]\n', "trigger 1 (serang): label must be"),
    ('[[trigger]]\nlabel = "PROTEST"\nroots = ["demo"]\n',
     "trigger 1 (demo): label 'PROTEST' is not a label of the scheme's event layer (ATTACK, CEASEFIRE, "),
    ('[[context]]\nbefore = ["lagi"]\nbecomes = "RUMOUR"\n', "context 1 (lagi): becomes 'RUMOUR' is not a label"),
    ('[[context]]\nafter = ["tidak"]\nlabels = ["attack", "riot"]\n', "context 1 (tidak): labels 'RIOT' is not a"),
    ('[[triger]]\nlabel = "ATTACK"\nroots = ["serang"]\n', "own.toml: unknown key 'triger'"),
    ('[[trigger]]\nlabel = "ATTACK"\nroots = ["serang"]\nforms = ["meN-an"]\n', "is not prefix-, -suffix"),
    ('[[trigger]]\nlabel = "ATTACK"\nroots = "serang"\n', "roots must be a list"),
    ('[[trigger]]\nlabel = "ATTACK"\nroot = ["serang"]\n', "unknown key 'root'"),
    ('[[trigger]]\nlabel = "ATTACK"\nroots = ["tewas"]\n[[trigger]]\nlabel = "CASUALTIES"\nroots = ["tewas"]\n',
     "'tewas' is both ATTACK and CASUALTIES"),
    ("[[trigger]\n", "not valid TOML"),
    ('[[context]]\nafter = ["tidak"]\nwindow = 0\n', "context 1 (tidak): window must be a number of words from 1 to 10"),
    ('[[context]]\nafter = ["tidak"]\nwhen = 1\n', "context 1 (tidak): unknown key 'when'"),
    ('[[trigger]]\nlabel = "EXCHANGE"\nroots = ["tukar"]\nnear_earlier = "yes"\n',
     "trigger 1 (tukar): near_earlier must be true or false"),
    ('[[trigger]]\nlabel = "TERRITORY"\nroots = ["serah"]\nbeside = "GPE"\n', "trigger 1 (serah): beside must be a list"),
    ('[[context]]\nafter = ["tidak"]\nthrough = [1]\n', "context 1 (tidak): through must be a list"),
    ('[[trigger]]\nlabel = "TERRITORY"\nroots = ["bebas"]\nnot_later = "dari"\n',
     "trigger 1 (bebas): not_later must be a list"),
])
def test_a_bad_lexicon_is_one_line_naming_the_problem(text, message):
    with pytest.raises(TandaiError) as info:
        parse_lexicon(text, "own.toml", load_scheme().layer("event").label_names)
    assert message in str(info.value) and str(info.value).startswith("own.toml: ")
    assert "\n" not in str(info.value)


# -- into the store and onto the screen ----------------------------------------------------------

ARTICLE = ("Pemberontak Serang Pos Perbatasan\n\n"
           "Milisi menyerang pos perbatasan itu pada Selasa malam. Dua penjaga tewas.\n\n"
           "Kedua pihak dijadwalkan bertemu pekan depan.")


@pytest.fixture
def article_db(tmp_path):
    from annotations.corpus import import_articles, parse_txt

    path = tmp_path / "tandai.db"
    with Store(path) as store:
        import_articles(store, [parse_txt(ARTICLE, "invented.txt")])
        tag_documents(store)
    return path


def test_tag_stores_triggers_in_the_event_layer(article_db):
    rows = query(article_db, "SELECT layer, label, substr((SELECT text FROM documents d WHERE d.id = doc_id),"
                             " start + 1, end - start) FROM suggestions WHERE layer = 'event' ORDER BY start")
    assert rows == [("event", "ATTACK", "Serang"), ("event", "ATTACK", "menyerang"),
                    ("event", "CASUALTIES", "tewas"), ("event", "TALKS", "bertemu")]


@pytest.mark.anyio
async def test_annotate_screen_shows_trigger_suggestions_and_Y_accepts_them(article_db):
    app = make_app(article_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        shown = screen_text(app)
        assert "menyerang[ATTACK?]" in shown and "tewas[CASUALTIES?]" in shown
        await press(pilot, "Y")
        assert "accepted" in status_line(app)
        (doc_id,) = query(article_db, "SELECT id FROM documents")[0]
        events = [(s["label"], s["text"]) for s in spans_of(article_db, doc_id) if s["layer"] == "event"]
        assert events == [("ATTACK", "Serang"), ("ATTACK", "menyerang"), ("CASUALTIES", "tewas"),
                          ("TALKS", "bertemu")]
        assert "menyerang[ATTACK]" in screen_text(app)
