@allure.label.epic:API
Feature: API keys for an organisation's own systems
  An admin or producer makes an API key with a name, for a system of their organisation (an asset
  manager, a review tool). The key is shown once: `nl_live_`, 256 random bits and a checksum, so
  secret scanners recognise a leaked key. The portal keeps only a hash of it and lists it by name,
  last four characters, creation and last use. A system sends it as a bearer token and is treated
  as the person who made the key, in the JSON API only: never on the portal's pages, never on the
  studio's admin endpoints unless the maker is a studio admin. A key that is missing, malformed,
  unknown, revoked or belongs to a suspended person gets one and the same refusal.

  Rule: An admin or producer makes a named key, shown once, kept only as a hash, listed without the key

    @allure.severity:critical @security
    Scenario: Theo makes a key for Brightside's asset manager
      Given Theo is signed in
      When Theo makes an API key named "Asset manager"
      Then Theo is shown the key once, in the portal's key format, with 256 random bits
      And Theo's keys list "Asset manager" with its last four characters, and never the key
      And the portal keeps only a hash of Theo's key

    Scenario Outline: <person> may make a key
      Given <person> is signed in
      When <person> makes an API key named "Reporting"
      Then <person>'s keys list "Reporting" with its last four characters, and never the key

      Examples:
        | person |
        | Ada    |
        | Bea    |
        | Pia    |

    @negative @security
    Scenario Outline: <person> cannot make a key
      Given <person> is signed in
      When <person> tries to make an API key named "Reporting"
      Then the portal answers <person> as if API keys did not exist

      Examples:
        | person |
        | Gina   |
        | Sam    |

    @negative @security
    Scenario: Uma, who is not signed in, cannot make a key
      When Uma tries to make an API key named "Reporting"
      Then the portal answers Uma as if API keys did not exist

    @negative @security
    Scenario: A key cannot make another key, list or revoke keys
      Given Theo's system holds a key Theo made
      When Theo's system tries to make, list and revoke keys with it
      Then the portal answers each as if API keys did not exist

  Rule: A key speaks for its maker in the JSON API, and nowhere else

    @allure.severity:critical
    Scenario: Theo's system sees Brightside's projects with his key, and the use is shown
      Given Brightside Agency has the project "Harbour Lights"
      And Theo's system holds a key Theo made
      When Theo's system lists the projects
      Then Theo's system sees the project "Harbour Lights"
      And Theo's keys show when the key was last used

    @negative @security
    Scenario: Theo's key does not reach another agency's project
      Given Lumen Creative has the project "Night Shift"
      And Theo's system holds a key Theo made
      When Theo's system tries to open the project "Night Shift"
      Then the portal answers Theo's system as if the project did not exist

    @negative @security
    Scenario: Theo's key does not open the studio's admin endpoints
      Given Theo's system holds a key Theo made
      When Theo's system tries to see the scheduled tasks
      Then the portal answers Theo's system as if the scheduled tasks did not exist

    Scenario: Ada's key opens the studio's admin endpoints, as Ada herself may
      Given Ada's system holds a key Ada made
      When Ada's system tries to see the scheduled tasks
      Then Ada's system sees the scheduled tasks

    @negative @security
    Scenario: Theo's key does not sign anyone in on the portal's pages
      Given Theo's system holds a key Theo made
      When Theo's system opens the portal's home page
      Then the page says nobody is signed in

  Rule: A key's name holds no invisible characters that change what the people who list the keys read

    @negative @security
    Scenario Outline: A key's name holding <character> is refused, naming the field "name"
      Given Theo is signed in
      When Theo types an API key's name holding <character>
      Then the portal rejects the request as "validation_failed", in the standard error shape
      And the error names the field "name"

      Examples:
        | character                      |
        | a right-to-left override       |
        | a bidirectional isolate        |
        | the first C1 control character |
        | the last C1 control character  |
        | the last C0 control character  |
        | the delete character           |
        | a line break                   |

    Scenario: A key's name in any script, with accents and emoji, is kept as typed
      Given Theo is signed in
      When Theo types an API key's name in several scripts, with accents and emoji
      Then the portal keeps the text exactly as typed

  Rule: A missing, malformed, unknown or revoked key, or one of a suspended person, gets one and the same refusal

    @negative @security
    Scenario Outline: Theo's system is refused <key> exactly as a key the portal never issued
      Given Theo's system holds <key>
      When Theo's system lists the projects
      Then the portal refuses the key exactly as a key it never issued

      Examples:
        | key                                            |
        | no key after the word Bearer                   |
        | a key under the scheme Basic instead of Bearer |
        | a key under the scheme Token instead of Bearer |
        | a key with a wrong checksum                    |
        | a key cut short                                |
        | a key Theo revoked                             |
        | a key of Theo's, who has since been suspended  |

    @negative @security
    Scenario: Revoking a key stops Theo's system at its very next request
      Given Theo's system holds a key Theo made
      And Theo's system has listed the projects
      And Theo has revoked the key
      When Theo's system lists the projects
      Then the portal refuses the key exactly as a key it never issued

    @negative @security
    Scenario: Reinstating Theo does not bring back his key
      Given Theo's system holds a key Theo made
      And Bea has suspended Theo
      And Bea has reinstated Theo
      When Theo's system lists the projects
      Then the portal refuses the key exactly as a key it never issued

    @negative @security
    Scenario: Lena cannot revoke Theo's key
      Given Theo's system holds a key Theo made
      And Lena is signed in
      When Lena tries to revoke Theo's key
      Then the portal answers Lena as if the key did not exist
      And Theo's system still lists the projects

  @local
  Rule: Keys never appear in the portal's log

    @security
    Scenario: Neither a working nor a refused key is written to the log
      Given Theo's system holds a key Theo made
      When Theo's system lists the projects, then tries a key cut short
      Then the portal's log holds neither key
